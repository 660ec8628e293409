package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.TestDevices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jconv compile} fills the caches for a workload and says what it built; run again it loads everything.
 * {@code jconv startup} starts its probe processes with this JVM's java and flags and prints every figure.
 */
class StartupCommandsTest {

    private static final Pattern COUNTS = Pattern.compile("(\\d+) shapes: (\\d+) programs built from source, (\\d+)"
            + " loaded from the binary cache; shapes whose programs were already built: (\\d+); [0-9.]+ s");

    @TempDir
    Path directory;

    @Test
    void compileBuildsEachProgramOnceAndTheNextRunLoadsThem() throws Exception {
        TestDevices.openClOrSkip();
        // Batch is not part of a program, so rows a and b share one; c is a second program.
        Path workload = Files.writeString(
                directory.resolve("workload.csv"),
                String.join(
                        "\n",
                        "name,op,batch,in_channels,height,width,out_channels,kernel,stride,padding,dilation,groups,"
                                + "output_padding",
                        "a,conv2d,1,5,37,37,7,3,1,1,1,1,0",
                        "b,conv2d,2,5,37,37,7,3,1,1,1,1,0",
                        "c,conv_transpose2d,1,5,37,37,7,4,2,1,1,1,0"));
        Matcher first = COUNTS.matcher(compile(workload));
        assertTrue(first.find(), first.toString());
        assertEquals("3", first.group(1));
        assertEquals(
                2,
                Integer.parseInt(first.group(2)) + Integer.parseInt(first.group(3)),
                "two programs, built or loaded");
        assertEquals("1", first.group(4), "row b needed no program of its own");
        // compile closes its device, which waits for the binaries: a second run, on a device opened afresh, loads
        // both programs and compiles nothing.
        Matcher second = COUNTS.matcher(compile(workload));
        assertTrue(second.find());
        assertEquals(
                List.of("0", "2", "1"),
                List.of(second.group(2), second.group(3), second.group(4)),
                "everything loaded from the binary cache");
    }

    private static String compile(Path workload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(
                List.of("compile", "--workload", workload.toString(), "--device", "opencl"), print(out), print(out));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report);
        return report;
    }

    @Test
    void compileRefusesABadWorkload() throws Exception {
        Path workload = Files.writeString(directory.resolve("bad.csv"), "not,a,workload\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                2,
                Main.run(
                        List.of("compile", "--workload", workload.toString(), "--device", "java"),
                        print(out),
                        print(err)));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("the first line must be the header"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void startupRunsItsProbesInFreshJvmsAndPrintsEveryFigure() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("startup", "--device", "java", "--repeat", "1"), print(out), print(err));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report + err.toString(StandardCharsets.UTF_8));
        for (String figure : List.of(
                "first result, every cache empty (in main)",
                "first result, caches warm (in main)",
                "new input size, same modules (median of 8)",
                "jconv cache warm, PoCL cache empty",
                "both prepared on 2 threads")) {
            assertTrue(
                    report.lines().anyMatch(line -> line.contains(figure) && line.matches(".*( +[0-9]+\\.[0-9]){3}$")),
                    "'" + figure + "' with 3 numbers in:\n" + report);
        }
    }

    @Test
    void startupRefusesABadRepeat() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("startup", "--repeat", "0"), print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--repeat must be at least 1, but got 0"));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
