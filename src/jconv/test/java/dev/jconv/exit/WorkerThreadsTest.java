package dev.jconv.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java backend's worker threads never hold up an application's exit: a JVM that runs a forward and closes nothing
 * ends by itself, and under an exec:java-like container no worker is left in the application's thread group (exec:java
 * waited 15 seconds for each ForkJoinPool worker, which ignores interrupts).
 */
class WorkerThreadsTest {

    private static final String CLASS_PATH = String.join(java.io.File.pathSeparator, ChildJvm.testClassPath());

    @Test
    void aJvmThatRunsAForwardAndClosesNothingExitsByItself() throws Exception {
        ChildJvm.Result child = ChildJvm.run(CLASS_PATH, List.of(), ForwardWithoutClose.class, "java");
        assertEquals(0, child.exitCode(), child.both());
        assertTrue(child.stdout().contains("forward done"), child.both());
        System.out.printf("child JVM ran the seed layers and exited in %.1f s%n", child.seconds());
    }

    @Test
    void anExecJavaLikeContainerFindsNoWorkerInTheApplicationsThreadGroup() throws Exception {
        ChildJvm.Result child = ChildJvm.run(CLASS_PATH, List.of(), ContainerLikeLauncher.class, "java");
        assertEquals(0, child.exitCode(), child.both());
        assertTrue(child.stdout().contains("no thread left"), child.both());
    }
}
