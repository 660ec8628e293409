package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Device;
import dev.jconv.TestDevices;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden case made by real PyTorch ({@code scripts/gen-golden.py}) on every available device, at verify's
 * default tolerance (rtol = atol = 1e-4). Rejected cases must be rejected with a validation error.
 */
class GoldenCasesTest {

    private static final double TOLERANCE = 1e-4;

    static Path goldenRoot() throws URISyntaxException {
        return Path.of(GoldenCasesTest.class.getResource("/golden").toURI());
    }

    @Test
    void goldenSetIsTheSizeTheIssueAsksFor() throws Exception {
        List<CaseDirectory> cases = CaseDirectory.find(goldenRoot());
        long rejected = cases.stream().filter(c -> c.name().startsWith("rej_")).count();
        assertTrue(cases.size() - rejected >= 150, "accepted golden cases: " + (cases.size() - rejected));
        assertTrue(rejected >= 30, "rejected golden cases: " + rejected);
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("seed_conv2d")));
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("seed_conv_transpose2d")));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseOnEveryDevice() throws Exception {
        List<CaseDirectory> cases = CaseDirectory.find(goldenRoot());
        List<DynamicTest> tests = new ArrayList<>();
        for (String deviceName : TestDevices.names()) {
            for (CaseDirectory testCase : cases) {
                tests.add(DynamicTest.dynamicTest(deviceName + " " + testCase.name(), () -> {
                    Device device = TestDevices.resolve(deviceName);
                    CaseDirectory.Outcome outcome = testCase.run(device, TOLERANCE, TOLERANCE);
                    assertTrue(
                            outcome.passed(),
                            outcome.name() + " on " + device.id() + ": " + outcome.detail() + " (worst abs error "
                                    + outcome.worstError() + ")");
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void verifyCommandReportsEveryCaseAndExitsZero() throws IOException, URISyntaxException {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code = Main.run(
                List.of("verify", "--device", "java", goldenRoot().toString()),
                new java.io.PrintStream(captured, true),
                System.err);
        String text = captured.toString();
        int total = CaseDirectory.find(goldenRoot()).size();
        assertTrue(text.strip().endsWith(total + " passed, 0 failed"), text);
        assertEquals(0, code, text);
    }
}
