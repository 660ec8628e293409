package dev.jconv.cli;

import dev.jconv.Device;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.Devices;
import dev.jconv.bench.Bench;
import dev.jconv.bench.BenchReport;
import dev.jconv.bench.BenchRow;
import dev.jconv.bench.Workload;
import dev.jconv.bench.WorkloadShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code jconv bench}: GFLOP/s per workload shape and device, optionally beside PyTorch and ONNX Runtime, as a
 * table, CSV or JSON, and optionally a PNG bar chart.
 */
final class BenchCommand {

    private static final String NAME = "bench";
    private static final Set<String> OPTIONS = Set.of("--device", "--workload", "--format", "--plot", "--budget");

    private BenchCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Arguments arguments = Arguments.parseOptions(NAME, args, OPTIONS, Set.of("--compare-torch", "--compare-ort"));
        String format = arguments.get("--format", "table");
        if (!Set.of("table", "csv", "json").contains(format)) {
            throw new UsageException(NAME + ": --format must be table, csv or json, but got '" + format + "'");
        }
        Path plot = arguments.has("--plot") ? Path.of(arguments.get("--plot", null)) : null;
        if (plot != null
                && (plot.toAbsolutePath().getParent() == null
                        || !Files.isDirectory(plot.toAbsolutePath().getParent()))) {
            throw new UsageException(NAME + ": the directory of --plot " + plot + " does not exist");
        }
        double budget = arguments.number(NAME, "--budget", 3.0);
        List<WorkloadShape> shapes =
                Workload.load(arguments.has("--workload") ? Path.of(arguments.get("--workload", null)) : null);
        // Kernel-only times come from OpenCL profiling events; the queue must be opened with profiling on.
        System.setProperty("jconv.profile", "true");
        // Storing a program binary compiles every kernel of the program again, in the background once builds have
        // paused for a few seconds: that is, during the first timed shapes, on the cores they run on (runs with stores
        // had single samples of 678 and 702 ms, a store's length). The bench stores none unless the variable or the
        // property asks for them.
        if (System.getenv("JCONV_PROGRAM_BINARIES") == null && System.getProperty("jconv.programBinaries") == null) {
            System.setProperty("jconv.programBinaries", "false");
        }
        List<Device> devices = devices(arguments.get("--device", "all"));
        Bench bench = new Bench(shapes, devices, budget, err);
        List<BenchRow> rows = bench.run(arguments.has("--compare-torch"), arguments.has("--compare-ort"));
        BenchReport.print(rows, format, Bench.machine(), out);
        if (plot != null) {
            bench.plot(rows, plot);
            err.println("bench: wrote " + plot);
        }
        return 0;
    }

    /** {@code all}: java and every OpenCL device; otherwise one selection as {@link Device#select} takes it. */
    private static List<Device> devices(String selection) {
        if (!selection.equals("all")) {
            return List.of(Device.select(selection));
        }
        List<Device> devices = new ArrayList<>();
        for (DeviceInfo info : Devices.list()) {
            devices.add(info.type() == DeviceType.JAVA ? Device.java() : Device.select(info.id()));
        }
        return devices;
    }
}
