package dev.jconv.cli;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import dev.jconv.backend.opencl.KernelTuner;
import dev.jconv.bench.Workload;
import dev.jconv.bench.WorkloadShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code jconv tune}: measures kernel variants and parameters for each workload shape on one OpenCL device within a
 * time budget, and writes the winners to that device's tuning file, which later runs use automatically.
 */
final class TuneCommand {

    private static final String NAME = "tune";
    private static final Set<String> OPTIONS = Set.of("--device", "--workload", "--budget", "--seed");

    private TuneCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Arguments arguments = Arguments.parseOptions(NAME, args, OPTIONS, Set.of());
        double budget = arguments.number(NAME, "--budget", 120.0);
        if (!(budget > 0)) {
            throw new UsageException(NAME + ": --budget must be a positive number of seconds, but got " + budget);
        }
        long seed = (long) arguments.number(NAME, "--seed", 1.0);
        List<WorkloadShape> shapes =
                Workload.load(arguments.has("--workload") ? Path.of(arguments.get("--workload", null)) : null);
        // Kernel-only times come from OpenCL profiling events; the queue must be opened with profiling on.
        System.setProperty("jconv.profile", "true");
        Device device = Device.select(arguments.get("--device", "opencl"));
        if (device.isJava()) {
            throw new UsageException(NAME + ": the Java backend has nothing to tune; choose an OpenCL device");
        }
        List<ConvModule<?, ?>> modules = new ArrayList<>();
        try {
            List<KernelTuner.Case> cases = new ArrayList<>();
            for (WorkloadShape shape : shapes) {
                ConvModule<?, ?> module = shape.newModule().to(device);
                modules.add(module);
                Tensor bias = module.bias();
                cases.add(new KernelTuner.Case(
                        shape.name(),
                        module.geometry(shape.inputShape()),
                        module.weight().toArray(),
                        bias == null ? null : bias.toArray()));
            }
            KernelTuner tuner = new KernelTuner(device.backend(), Device.java().backend(), budget, seed, err::println);
            List<KernelTuner.Result> results = tuner.tune(cases);
            out.printf(
                    Locale.ROOT,
                    "%-18s %-44s %10s %-44s %10s %7s%n",
                    "name",
                    "default kernel",
                    "default ms",
                    "tuned kernel",
                    "tuned ms",
                    "gain");
            for (KernelTuner.Result result : results) {
                out.printf(
                        Locale.ROOT,
                        "%-18s %-44s %10.3f %-44s %10.3f %6.2fx%n",
                        result.name(),
                        result.defaultKernel(),
                        result.defaultMillis(),
                        result.bestKernel(),
                        result.bestMillis(),
                        result.defaultMillis() / result.bestMillis());
            }
            out.println("tuning file: " + tuner.tuningFile());
            return 0;
        } finally {
            modules.forEach(ConvModule::close);
        }
    }
}
