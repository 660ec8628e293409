package dev.jconv.cli;

import dev.jconv.Device;
import dev.jconv.Devices;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code jconv verify}: runs PyTorch-exported cases and reports each failure with its worst absolute error, ending with
 * {@code N passed, N failed}. Exit 0 only when none failed.
 */
final class VerifyCommand {

    private static final String NAME = "verify";
    private static final Set<String> OPTIONS = Set.of("--device", "--rtol", "--atol");

    private VerifyCommand() {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parse(NAME, args, OPTIONS, Set.of("--verbose"));
        if (arguments.positionals().isEmpty()) {
            throw new UsageException(NAME + ": give at least one case directory");
        }
        double rtol = arguments.number(NAME, "--rtol", 1e-4);
        double atol = arguments.number(NAME, "--atol", 1e-4);
        List<CaseDirectory> cases = new ArrayList<>();
        for (String root : arguments.positionals()) {
            cases.addAll(CaseDirectory.find(Path.of(root)));
        }
        Device device = Device.select(arguments.get("--device", Devices.configuredSelection()));
        out.println("verifying " + cases.size() + " case(s) on " + device);
        int passed = 0;
        int failed = 0;
        boolean verbose = arguments.has("--verbose");
        for (CaseDirectory testCase : cases) {
            CaseDirectory.Outcome outcome = testCase.run(device, rtol, atol);
            if (outcome.passed()) {
                passed++;
                if (verbose) {
                    out.println("PASS " + outcome.name() + ": " + outcome.detail());
                }
            } else {
                failed++;
                out.println("FAIL " + outcome.name() + ": worst abs error "
                        + (Double.isNaN(outcome.worstError()) ? "n/a" : String.format("%.3g", outcome.worstError()))
                        + ": " + outcome.detail());
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
