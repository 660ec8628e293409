package dev.jconv.exit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a main class of the test class path in a fresh JVM, as an application would start one: plain
 * {@code java -cp ...}, no LD_PRELOAD and no JVM flags unless given, so what jconv does at first use, and whether the
 * JVM ends by itself, can be watched from outside.
 */
final class ChildJvm {

    /** Generous for a JVM start and two small layers on a busy 2-core machine; a hanging JVM never ends. */
    static final long EXIT_SECONDS = 30;

    private ChildJvm() {}

    record Result(int exitCode, double seconds, String stdout, String stderr) {
        String both() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** The test class path: surefire runs tests from a manifest-only jar, and its property holds the real one. */
    static List<String> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(path.split(File.pathSeparator));
    }

    /** The test class path without the entries {@code drop} matches (for example, the logging backend). */
    static String classPathWithout(Predicate<String> drop) {
        return String.join(
                File.pathSeparator,
                testClassPath().stream().filter(drop.negate()).toList());
    }

    static Result run(String classPath, List<String> jvmFlags, Class<?> mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("jconv-child", ".out");
        Path stderr = Files.createTempFile("jconv-child", ".err");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            // An application started plainly: no signal chaining, and jconv settings only where a test sets them.
            builder.environment().remove("LD_PRELOAD");
            builder.environment().remove("JCONV_DEVICE");
            long start = System.nanoTime();
            Process process = builder.start();
            boolean ended = process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!ended) {
                process.destroyForcibly().waitFor();
                fail(mainClass.getSimpleName() + " was still running after " + EXIT_SECONDS + " s: threads keep"
                        + " the JVM alive");
            }
            return new Result(
                    process.exitValue(),
                    seconds,
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
