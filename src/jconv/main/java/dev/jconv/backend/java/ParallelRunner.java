package dev.jconv.backend.java;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks on the calling thread and the Java backend's own worker threads (one fewer than the cores),
 * so a convolution never competes with the application's use of the common pool, and the workers never hold up the
 * application's exit.
 *
 * <p>The caller claims tasks too, so a call always completes even if every worker is busy or gone, and it takes part
 * of the work at once instead of waiting for a worker to wake.
 *
 * <p>The workers are daemon threads, so they never keep the JVM alive. They also live in a thread group of their own
 * under the JVM's root group rather than in the group of whichever application thread happened to start them: a
 * container that ends an application by interrupting and joining the threads of the application's group (Maven's
 * {@code exec:java} waits 15 seconds for each one that stays) finds none of them. A worker that is interrupted anyway
 * ends, as such a container expects, and the next call starts a replacement. A ForkJoinPool cannot do this on Java 17:
 * its workers join the group of the thread that creates them and ignore interrupts.
 */
final class ParallelRunner implements AutoCloseable {

    /**
     * How long an idle worker watches the queue before it parks. A network's layers follow each other within
     * microseconds, and waking a parked thread costs tens of them on a VM, a large part of a small layer (seed_conv:
     * 0.146 ms without the wait, 0.125 ms with it); ONNX Runtime's pool spins after its jobs likewise.
     */
    private static final long SPIN_NANOS = 200_000L;

    private final int threads;
    private final ThreadGroup workers = new ThreadGroup(rootGroup(), "jconv-java");
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final AtomicInteger startedWorkers = new AtomicInteger();
    private volatile boolean closed;

    ParallelRunner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, but got " + threads);
        }
        this.threads = threads;
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} for 0..count-1, in parallel on the caller and the workers, and returns when all are done;
     * rethrows the first failure (the other tasks are then skipped).
     */
    void forEach(int count, IntConsumer task) {
        // Inline on a worker: a task that forks again would only queue work for workers busy with the outer call.
        if (count <= 1 || threads == 1 || closed || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        Job job = new Job(count, task);
        if (liveWorkers.get() < threads - 1) {
            startMissingWorkers();
        }
        for (int i = 0, helpers = Math.min(threads - 1, count - 1); i < helpers; i++) {
            queue.add(job);
        }
        job.work();
        job.awaitDone();
        job.rethrow();
    }

    private synchronized void startMissingWorkers() {
        while (!closed && liveWorkers.get() < threads - 1) {
            Worker worker = new Worker("jconv-java-" + startedWorkers.getAndIncrement());
            liveWorkers.incrementAndGet();
            try {
                worker.start();
            } catch (RuntimeException | Error e) {
                liveWorkers.decrementAndGet();
                throw e;
            }
        }
    }

    /** True when {@code thread} is one of this runner's workers; for tests. */
    boolean ownsWorker(Thread thread) {
        return thread instanceof Worker && thread.getThreadGroup() == workers;
    }

    /** Stops the workers; later calls run on the calling thread. */
    @Override
    public void close() {
        closed = true;
        workers.interrupt();
    }

    /** One forEach call: its tasks are claimed one index at a time by the caller and whichever workers are free. */
    private final class Job {
        private final int count;
        private final IntConsumer task;
        private final AtomicInteger nextIndex = new AtomicInteger();
        private final CountDownLatch remaining;
        private volatile Throwable failure;

        Job(int count, IntConsumer task) {
            this.count = count;
            this.task = task;
            this.remaining = new CountDownLatch(count);
        }

        void work() {
            for (int index = nextIndex.getAndIncrement(); index < count; index = nextIndex.getAndIncrement()) {
                // After a failure the remaining indices are only counted off, so the call ends soon with the error.
                if (failure == null) {
                    try {
                        task.accept(index);
                    } catch (Throwable e) {
                        recordFailure(e);
                    }
                }
                remaining.countDown();
            }
        }

        private synchronized void recordFailure(Throwable e) {
            if (failure == null) {
                failure = e;
            }
        }

        /**
         * Waits for the indices workers still run (the caller has claimed the rest); an interrupt does not end the wait
         * early, since the workers are still writing into the caller's arrays, but is kept for the caller to see.
         */
        void awaitDone() {
            boolean interrupted = false;
            while (true) {
                try {
                    remaining.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void rethrow() {
            Throwable error = failure;
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
        }
    }

    private final class Worker extends Thread {

        /** Watches the queue's count, which reads no lock, until a job arrives or {@link #SPIN_NANOS} pass. */
        private void awaitJobBriefly() {
            long end = System.nanoTime() + SPIN_NANOS;
            while (queue.isEmpty() && !closed && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }

        Worker(String name) {
            super(workers, null, name, 0);
            setDaemon(true);
            // The application's class loader stays collectable when the application is unloaded (containers,
            // exec:java).
            setContextClassLoader(null);
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    awaitJobBriefly();
                    queue.take().work();
                }
            } catch (InterruptedException e) {
                // Asked to stop: by close(), or by a container ending the application. A later call starts another.
            } finally {
                liveWorkers.decrementAndGet();
            }
        }
    }
}
