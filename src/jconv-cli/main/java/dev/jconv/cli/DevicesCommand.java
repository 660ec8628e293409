package dev.jconv.cli;

import dev.jconv.DeviceInfo;
import dev.jconv.Devices;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code jconv devices}: every device jconv can run on, with its limits, marking the one {@code auto} picks. */
final class DevicesCommand {

    private DevicesCommand() {}

    static int run(List<String> args, PrintStream out) {
        Arguments arguments = Arguments.parseOptions("devices", args, Set.of(), Set.of());
        String autoChoice = Devices.autoChoice();
        out.printf(
                "%-2s%-10s %-12s %5s %10s %10s  %s%n",
                "", "id", "type", "units", "memory", "max alloc", "name / vendor / platform / version");
        for (DeviceInfo info : Devices.list()) {
            out.printf(
                    "%-2s%-10s %-12s %5d %10s %10s  %s / %s / %s / %s%n",
                    info.id().equals(autoChoice) ? "*" : "",
                    info.id(),
                    info.type(),
                    info.computeUnits(),
                    mebibytes(info.globalMemory()),
                    mebibytes(info.maxAllocation()),
                    info.name(),
                    info.vendor(),
                    info.platform(),
                    info.version());
        }
        out.println("* = the device 'auto' picks (GPU, then other OpenCL, then java)");
        Devices.openClProblem().ifPresent(problem -> out.println("OpenCL: not available: " + problem));
        Devices.autoRefusals().forEach(refusal -> out.println("auto skips: " + refusal));
        return 0;
    }

    private static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
