package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.TestDevices;
import dev.jconv.backend.opencl.FaultsForTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A few seconds of {@code jconv soak}: it passes on a healthy device, and a fault in the middle fails it. */
class SoakCommandTest {

    private static final Pattern BUFFERS = Pattern.compile("closed: (\\d+) \\((\\d+) at the start\\)");

    @AfterEach
    void turnFaultsOff() {
        FaultsForTests.clear();
    }

    @Test
    void aShortSoakPassesAndReportsItsFigures() {
        TestDevices.openClOrSkip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("soak", "--minutes", "0.1", "--threads", "2"), print(out), print(out));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report);
        assertTrue(
                report.contains(" 0 mismatches, 0 errors; live device buffers ")
                        && report.contains("device memory ")
                        && report.contains("resident memory ")
                        && report.contains("soak: passed"),
                report);
        assertBuffersReturned(report);
    }

    @Test
    void aFaultDuringTheSoakIsCountedAndTheSoakFails() {
        TestDevices.openClOrSkip();
        FaultsForTests.install("kernel:4");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("soak", "--minutes", "0.2", "--threads", "2"), print(out), print(out));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, report);
        assertTrue(report.contains(" 0 mismatches, 1 errors;") && report.contains("soak: FAILED"), report);
        assertTrue(
                report.lines()
                        .anyMatch(line -> line.startsWith("soak: error: ")
                                && line.contains("CL_OUT_OF_RESOURCES")
                                && line.contains("[injected fault kernel:4:")),
                report);
        assertBuffersReturned(report);
    }

    @Test
    void badOptionsAreUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("soak", "--threads", "0"), print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--threads must be at least 1, but got 0"));
    }

    private static void assertBuffersReturned(String report) {
        Matcher buffers = BUFFERS.matcher(report);
        assertTrue(buffers.find(), report);
        assertEquals(buffers.group(2), buffers.group(1), "live device buffers after the soak: " + report);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
