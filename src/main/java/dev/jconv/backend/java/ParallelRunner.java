package dev.jconv.backend.java;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent tasks on the Java backend's own fork/join pool, sized to the machine's cores, so a convolution
 * never competes with the application's use of the common pool.
 */
final class ParallelRunner implements AutoCloseable {

    private final ForkJoinPool pool;

    ParallelRunner(int threads) {
        this.pool = new ForkJoinPool(threads, ParallelRunner::daemonWorker, null, false);
    }

    private static ForkJoinWorkerThread daemonWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setDaemon(true);
        thread.setName("jconv-java-" + thread.getPoolIndex());
        return thread;
    }

    int threads() {
        return pool.getParallelism();
    }

    /** Runs {@code task} for 0..count-1, in parallel, and returns when all are done. */
    void forEach(int count, IntConsumer task) {
        if (count == 1) {
            task.accept(0);
            return;
        }
        pool.submit(() -> IntStream.range(0, count).parallel().forEach(task)).join();
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
