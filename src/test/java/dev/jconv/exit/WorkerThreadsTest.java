package dev.jconv.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java backend's worker threads never hold up an application's exit: a JVM that runs a forward and closes nothing
 * ends by itself, and under an exec:java-like container no worker is left in the application's thread group (exec:java
 * waited 15 seconds for each ForkJoinPool worker, which ignores interrupts).
 */
class WorkerThreadsTest {

    /** Generous for a JVM start and two small layers on a busy 2-core machine; a hanging JVM never ends. */
    private static final long EXIT_SECONDS = 30;

    private static ChildResult runChild(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        // Surefire runs tests from a manifest-only jar; its property holds the real class path.
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        long start = System.nanoTime();
        Process process = builder.start();
        boolean ended = process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!ended) {
            process.destroyForcibly();
            fail(mainClass.getSimpleName() + " was still running after " + EXIT_SECONDS + " s: threads keep the JVM"
                    + " alive");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ChildResult(process.exitValue(), seconds, output);
    }

    private record ChildResult(int exitCode, double seconds, String output) {
    }

    @Test
    void aJvmThatRunsAForwardAndClosesNothingExitsByItself() throws Exception {
        ChildResult child = runChild(ForwardWithoutClose.class, "java");
        assertEquals(0, child.exitCode(), child.output());
        assertTrue(child.output().contains("forward done"), child.output());
        System.out.printf("child JVM ran the seed layers and exited in %.1f s%n", child.seconds());
    }

    @Test
    void anExecJavaLikeContainerFindsNoWorkerInTheApplicationsThreadGroup() throws Exception {
        ChildResult child = runChild(ContainerLikeLauncher.class, "java");
        assertEquals(0, child.exitCode(), child.output());
        assertTrue(child.output().contains("no thread left"), child.output());
    }
}
