package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The Java backend's worker pool: every task once, failures rethrown, workers that never hold up an exit. */
class ParallelRunnerTest {

    private static void assertEachIndexRanOnce(ParallelRunner runner, int count) {
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        runner.forEach(count, runs::incrementAndGet);
        for (int i = 0; i < count; i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
    }

    @Test
    void everyIndexRunsExactlyOnceOnTheCallerAndTheWorkers() {
        ParallelRunner runner = new ParallelRunner(3);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        runner.forEach(2000, index -> {
            threads.add(Thread.currentThread());
            Math.sin(index); // a little work, so more than one thread gets some
        });
        for (int count : List.of(0, 1, 2, 7, 1000)) {
            assertEachIndexRanOnce(runner, count);
        }
        assertTrue(threads.size() >= 1);
    }

    @Test
    void theFirstFailureIsRethrownAndTheRunnerStillWorks() {
        ParallelRunner runner = new ParallelRunner(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> runner.forEach(100, index -> {
                    if (index == 37) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertEachIndexRanOnce(runner, 100);
    }

    @Test
    void workersAreDaemonsOutsideTheCallersGroupAndInterruptedOnesAreReplaced() throws InterruptedException {
        ParallelRunner runner = new ParallelRunner(3);
        assertEachIndexRanOnce(runner, 100);
        List<Thread> workers = workers(runner);
        assertEquals(2, workers.size(), "one worker fewer than threads: the caller takes part");
        for (Thread worker : workers) {
            assertTrue(worker.isDaemon(), worker.getName());
            assertFalse(
                    isInGroup(worker, Thread.currentThread().getThreadGroup()),
                    worker.getName() + " is in the caller's thread group, where exec:java would wait for it");
        }
        // A container ending the application interrupts the threads it can see; workers end when asked.
        for (Thread worker : workers) {
            worker.interrupt();
            worker.join(5000);
            assertFalse(worker.isAlive(), worker.getName() + " ignored the interrupt");
        }
        assertEachIndexRanOnce(runner, 500);
        assertEquals(2, workers(runner).size(), "the next call starts replacements");
        runner.close();
        assertEachIndexRanOnce(runner, 50); // after close the caller runs everything
    }

    private static boolean isInGroup(Thread thread, ThreadGroup group) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** The runner's live workers: threads of its group that are alive. */
    private static List<Thread> workers(ParallelRunner runner) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && runner.ownsWorker(thread))
                .toList();
    }
}
