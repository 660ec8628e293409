package dev.jconv.bench;

import dev.jconv.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel-timing benchmark behind {@code scripts/bench.sh}: every workload shape on every chosen device, next to
 * PyTorch timed in the same run, with progress per shape on stderr so a long run is never silent.
 */
public final class Bench {

    private final List<WorkloadShape> shapes;
    private final List<Device> devices;
    private final ShapeTimer timer;
    private final double budgetSeconds;
    private final PrintStream progress;

    /**
     * @param budgetSeconds the most time spent sampling one (shape, device) pair, after warm-up
     */
    public Bench(List<WorkloadShape> shapes, List<Device> devices, double budgetSeconds, PrintStream progress) {
        this.shapes = shapes;
        this.devices = devices;
        this.budgetSeconds = budgetSeconds;
        this.timer = new ShapeTimer(budgetSeconds, 400);
        this.progress = progress;
    }

    /** One line naming the machine, for the report. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", Java "
                + Runtime.version().feature();
    }

    /** Times everything; with {@code compareTorch}, PyTorch first (2 threads, as many as this machine has cores). */
    public List<BenchRow> run(boolean compareTorch) throws IOException {
        Map<String, Double> torch = Map.of();
        if (compareTorch) {
            progress.println("bench: timing " + shapes.size() + " shapes in PyTorch");
            torch = TorchTimes.measure(shapes, Runtime.getRuntime().availableProcessors(), budgetSeconds, progress);
        }
        List<BenchRow> rows = new ArrayList<>();
        int total = shapes.size() * devices.size();
        int done = 0;
        for (WorkloadShape shape : shapes) {
            for (Device device : devices) {
                done++;
                progress.printf(Locale.ROOT, "bench: [%d/%d] %s on %s ... ", done, total, shape.name(), device.id());
                progress.flush();
                ShapeTimer.Timing timing = timer.time(shape, device);
                BenchRow row = new BenchRow(shape, device.id(), timing.wallMillis(), timing.kernelMillis(),
                        torch.getOrDefault(shape.name(), Double.NaN), timing.samples());
                progress.printf(Locale.ROOT, "%.3f ms, %.1f GFLOP/s%s%n", row.millis(), row.gflops(),
                        Double.isNaN(row.torchMillis()) ? "" : String.format(Locale.ROOT, ", %.2fx PyTorch",
                                row.speedup()));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Writes the bar chart of {@code rows}. */
    public static void plot(List<BenchRow> rows, Path file) throws IOException {
        BenchPlot.write(rows, machine(), file);
    }
}
