package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Conv2dAlgorithm;
import dev.jconv.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The opt-in Winograd algorithm on every golden case it applies to (3x3 Conv2d, stride 1, dilation 1), on the Java
 * backend, at the exact path's tolerance; prints the largest error of each algorithm, the figures in
 * {@link Conv2dAlgorithm}'s javadoc.
 */
class WinogradGoldenTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void everyApplicableGoldenCaseStaysWithinTheExactPathsTolerance() throws Exception {
        List<String> failures = new ArrayList<>();
        double worstWinograd = 0;
        double worstExact = 0;
        int cases = 0;
        for (CaseDirectory testCase : CaseDirectory.find(GoldenCasesTest.goldenRoot())) {
            boolean applies = !testCase.name().startsWith("rej_")
                    && testCase.call()
                            .filter(call -> call.accepts(Conv2dAlgorithm.WINOGRAD))
                            .isPresent();
            if (!applies) {
                continue;
            }
            cases++;
            CaseDirectory.Outcome winograd =
                    testCase.run(Device.java(), Conv2dAlgorithm.WINOGRAD, TOLERANCE, TOLERANCE);
            CaseDirectory.Outcome exact = testCase.run(Device.java(), TOLERANCE, TOLERANCE);
            if (!winograd.passed()) {
                failures.add(winograd.name() + ": " + winograd.detail() + " (worst " + winograd.worstError() + ")");
            }
            worstWinograd = Math.max(worstWinograd, winograd.worstError());
            worstExact = Math.max(worstExact, exact.worstError());
        }
        System.out.printf(
                "winograd on %d golden cases: worst abs error %.3g (exact path: %.3g)%n",
                cases, worstWinograd, worstExact);
        assertTrue(cases >= 20, "golden cases Winograd applies to: " + cases);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
