package dev.jconv.bench;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel-timing benchmark behind {@code scripts/bench.sh}: every workload shape on every chosen device, next to
 * PyTorch and ONNX Runtime timed in the same run, with progress per shape on stderr so a long run is never silent.
 */
public final class Bench {

    /** How long the warm-up pass runs each shape on each device. */
    private static final long WARM_UP_PASS_NANOS = 300_000_000L;

    /** Enough for the minimum sampling window of a 0.1 ms op (see {@link Sampler}). */
    private static final int MAX_SAMPLES = 6000;

    private final List<WorkloadShape> shapes;
    private final List<Device> devices;
    private final Sampler sampler;
    private final double budgetSeconds;
    private final PrintStream progress;

    /**
     * @param budgetSeconds the most time spent sampling one (shape, device) pair, after warm-up
     */
    public Bench(List<WorkloadShape> shapes, List<Device> devices, double budgetSeconds, PrintStream progress) {
        this.shapes = shapes;
        this.devices = devices;
        this.budgetSeconds = budgetSeconds;
        this.sampler = new Sampler(budgetSeconds, MAX_SAMPLES);
        this.progress = progress;
    }

    /** One line naming the machine, for the report. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", Java "
                + Runtime.version().feature();
    }

    /**
     * Times everything; with {@code compareTorch}, PyTorch first (as many threads as this machine has cores); with
     * {@code compareOrt}, ONNX Runtime on each shape before jconv's devices.
     */
    public List<BenchRow> run(boolean compareTorch, boolean compareOrt) throws IOException {
        Map<String, Double> torch = Map.of();
        if (compareTorch) {
            progress.println("bench: timing " + shapes.size() + " shapes in PyTorch");
            torch = TorchTimes.measure(shapes, Runtime.getRuntime().availableProcessors(), budgetSeconds, progress);
        }
        OrtTimer ort = compareOrt ? OrtTimer.load(sampler, progress) : null;
        warmUp();
        ShapeTimer timer = new ShapeTimer(sampler);
        List<BenchRow> rows = new ArrayList<>();
        int total = shapes.size() * devices.size();
        int done = 0;
        for (WorkloadShape shape : shapes) {
            // One set of parameters and one input per shape, shared by every device and ONNX Runtime, so all of
            // them compute the same thing.
            try (ConvModule<?, ?> module = shape.newModule();
                    Tensor input = shape.randomInput()) {
                Timing ortTiming = Timing.NONE;
                if (ort != null) {
                    progress.printf(
                            Locale.ROOT, "bench: %s in ONNX Runtime (output checked against jconv) ... ", shape.name());
                    progress.flush();
                    ortTiming = ort.time(shape, module, input);
                    progress.printf(Locale.ROOT, "%.3f ms%n", ortTiming.medianMillis());
                }
                for (Device device : devices) {
                    done++;
                    progress.printf(
                            Locale.ROOT, "bench: [%d/%d] %s on %s ... ", done, total, shape.name(), device.id());
                    progress.flush();
                    BenchRow row = new BenchRow(
                            shape,
                            device.id(),
                            timer.time(module, input, device),
                            torch.getOrDefault(shape.name(), Double.NaN),
                            ortTiming);
                    progress.printf(
                            Locale.ROOT,
                            "%.3f ms, %.1f GFLOP/s%s%s%n",
                            row.millis(),
                            row.gflops(),
                            ratio(row.speedup(), "PyTorch"),
                            ratio(row.vsOrt(), "ONNX Runtime"));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * Runs every shape on every device once, untimed, before anything is timed. The shapes share their host path and
     * the Java backend's kernels, which the JIT compiles on background threads that compete with the call for this
     * machine's cores: without this pass the first shape timed was still partly interpreted after its own warm-up
     * (seed_conv on Java read 0.38 ms where a second copy of it in the same run read 0.12 ms).
     */
    private void warmUp() {
        progress.println("bench: warming up (every shape on every device, untimed)");
        for (WorkloadShape shape : shapes) {
            try (ConvModule<?, ?> module = shape.newModule();
                    Tensor input = shape.randomInput()) {
                for (Device device : devices) {
                    ShapeTimer.warmUp(module, input, device, WARM_UP_PASS_NANOS);
                }
            }
        }
    }

    private static String ratio(double value, String reference) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, ", %.2fx %s", value, reference);
    }

    /** Writes the bar chart of this bench's {@code rows}, dated today. */
    public void plot(List<BenchRow> rows, Path file) throws IOException {
        BenchPlot.write(rows, devices, machine(), LocalDate.now(), file);
    }
}
