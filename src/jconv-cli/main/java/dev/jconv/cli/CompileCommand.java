package dev.jconv.cli;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.backend.opencl.CacheDirectory;
import dev.jconv.backend.opencl.ProgramCounts;
import dev.jconv.bench.Workload;
import dev.jconv.bench.WorkloadShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code jconv compile [--workload FILE] [--device D]}: builds ahead of time the programs every shape of a workload
 * needs on the device (through each layer's {@code prepare}, so with the kernels a forward would choose) and so
 * fills the binary cache, for example while building a container image; later processes then load the programs
 * instead of compiling them. Prints what it built, loaded and found built already, and the time, which includes
 * storing the binaries: the device is closed at the end, and closing waits for them.
 */
final class CompileCommand {

    private CompileCommand() {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parseOptions("compile", args, Set.of("--workload", "--device"), Set.of());
        String selection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(selection);
        String workloadFile = arguments.get("--workload", null);
        List<WorkloadShape> shapes = Workload.load(workloadFile == null ? null : Path.of(workloadFile));
        Device device = Device.select(selection);
        out.println("device: " + device);
        if (device.isJava()) {
            out.println("the java device runs without compiled programs: nothing to compile");
            return 0;
        }
        ProgramCounts before = ProgramCounts.of(device.backend());
        int alreadyBuilt = 0;
        long start = System.nanoTime();
        for (WorkloadShape shape : shapes) {
            long obtained = ProgramCounts.of(device.backend()).obtained();
            try (ConvModule<?, ?> module = shape.newModule().to(device)) {
                module.prepare(shape.inputShape());
            }
            if (ProgramCounts.of(device.backend()).obtained() == obtained) {
                alreadyBuilt++; // another shape of the workload needs the same program
            }
        }
        ProgramCounts done = ProgramCounts.of(device.backend()).since(before);
        // Closing waits for the binaries still being stored (they are written in the background, see BinaryWriter).
        device.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
                Locale.ROOT,
                "%d shapes: %d programs built from source, %d loaded from the binary cache; shapes"
                        + " whose programs were already built: %d; %.2f s%n",
                shapes.size(),
                done.built(),
                done.loaded(),
                alreadyBuilt,
                seconds);
        out.println("binary cache: " + CacheDirectory.path().resolve("binaries"));
        return 0;
    }
}
