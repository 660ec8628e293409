package dev.jconv.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code jconv bench}: kernel timing per workload shape and device. */
final class BenchCommand {

    private BenchCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        throw new UsageException("bench: not built yet");
    }
}
