package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Device;
import dev.jconv.TestDevices;
import dev.jconv.backend.opencl.FaultsForTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenCL failures as a CLI user meets them: {@code verify} fails only the case that hit the fault, naming the OpenCL
 * error, and goes on; after a lost device every later case fails at once; {@code run} exits 1 with one line and
 * writes nothing. Faults are installed from the test; each case here runs one kernel.
 */
class FaultCliTest {

    private static final String[] CASES = {"c2d_g2", "c2d_k3", "ct2d_k1_s2"};

    @TempDir
    Path directory;

    @AfterEach
    void turnFaultsOff() {
        FaultsForTests.clear();
    }

    @Test
    void verifyFailsOnlyTheFaultedCaseAndGoesOn() throws Exception {
        TestDevices.openClOrSkip();
        FaultsForTests.install("kernel:2");
        Result result = main(verify());
        assertEquals(1, result.code(), result.out());
        List<String> failed =
                result.out().lines().filter(line -> line.startsWith("FAIL ")).toList();
        assertEquals(1, failed.size(), result.out());
        assertTrue(
                failed.get(0).startsWith("FAIL c2d_k3: ")
                        && failed.get(0).contains("CL_OUT_OF_RESOURCES")
                        && failed.get(0).contains("[injected fault kernel:2:"),
                failed.get(0));
        assertTrue(result.out().contains("2 passed, 1 failed"), result.out());
        assertEquals("", result.err());
    }

    @Test
    void afterALostDeviceEveryLaterCaseFailsAtOnce() throws Exception {
        Device device = TestDevices.openClOrSkip();
        try {
            FaultsForTests.install("kernel:1:CL_INVALID_COMMAND_QUEUE");
            Result result = main(verify());
            assertEquals(1, result.code(), result.out());
            List<String> failed = result.out()
                    .lines()
                    .filter(line -> line.startsWith("FAIL "))
                    .toList();
            assertEquals(3, failed.size(), result.out());
            assertTrue(
                    failed.get(0).contains("CL_INVALID_COMMAND_QUEUE")
                            && failed.get(0).contains("is lost"),
                    failed.get(0));
            for (String later : failed.subList(1, failed.size())) {
                assertTrue(later.contains(device.info().summary() + " is lost ("), later);
            }
            assertTrue(result.out().contains("0 passed, 3 failed"), result.out());
        } finally {
            device.close(); // the next Device.select opens it afresh for the other suites
        }
    }

    @Test
    void runExitsOneWithOneLineAndWritesNothing() throws Exception {
        TestDevices.openClOrSkip();
        Path golden = GoldenCasesTest.goldenRoot().resolve("c2d_k3");
        Path output = directory.resolve("y.npy");
        FaultsForTests.install("kernel:1");
        Result result = main(List.of(
                "run",
                "--op",
                "conv2d",
                "--input",
                golden.resolve("x.npy").toString(),
                "--weight",
                golden.resolve("w.npy").toString(),
                "--bias",
                golden.resolve("b.npy").toString(),
                "--output",
                output.toString(),
                "--device",
                "opencl"));
        assertEquals(1, result.code(), result.err());
        List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), result.err());
        assertTrue(
                lines.get(0).startsWith("jconv: error: conv2d input [2, 3, 8, 8]")
                        && lines.get(0).contains("failed: CL_OUT_OF_RESOURCES (-5)"),
                lines.get(0));
        assertFalse(Files.exists(output), "no output file after a failure");
        assertEquals("", result.out());
    }

    private static List<String> verify() throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--device", "opencl"));
        for (String name : CASES) {
            args.add(GoldenCasesTest.goldenRoot().resolve(name).toString());
        }
        return args;
    }

    private record Result(int code, String out, String err) {}

    private static Result main(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
