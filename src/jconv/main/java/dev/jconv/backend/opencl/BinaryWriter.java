package dev.jconv.backend.opencl;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores the binaries of newly built programs from a background thread, once builds have paused, so no launch waits
 * for it. Taking a binary is not free: PoCL compiles every kernel of the program once more for its binary (measured
 * here: 350 ms per conv2d.cl program, 900 ms for the first, more than the build itself), and on this 2-core machine
 * a store running beside a build delayed that build about as much as the store cost. Done on the launch's path it
 * made a new input size 2 times slower to its first result, and done at once in the background still 1.5 times.
 * So each store waits until no build has started or ended for {@value #QUIET_MILLIS} ms (the first launch after a
 * build, where PoCL compiles again, falls in that window here): a burst of new shapes is compiled first, its binaries
 * are stored after.
 *
 * <p>{@link #suspend} holds every store off while the tuner runs: a store would corrupt its timings.
 *
 * <p>Each queued store holds a use of its program ({@link ClProgram#tryUse}), so eviction cannot release a program
 * whose binary is still to be taken. {@link #close} (when the device closes) lets queued stores finish, for at most
 * {@value #DRAIN_SECONDS} seconds, then drops the rest; a process that exits without closing its device may lose
 * the stores still queued, which only means those programs are built again next time (entries are written whole or
 * not at all).
 */
final class BinaryWriter implements AutoCloseable {

    private static final long DRAIN_SECONDS = 60;
    static final long QUIET_MILLIS = 3000;
    private static final long IDLE_SECONDS = 10;

    /** One program's store, which must end its use whether it runs or is dropped. */
    private final class Store implements Runnable {
        private final String key;
        private final ClProgram program;

        Store(String key, ClProgram program) {
            this.key = key;
            this.program = program;
        }

        @Override
        public void run() {
            try {
                awaitQuiet();
                if (!lost()) {
                    binaries.store(key, program);
                }
            } finally {
                program.endUse();
            }
        }

        void drop() {
            program.endUse();
        }
    }

    private final ProgramBinaries binaries;
    private final ClQueue queue;
    /** One thread, started when a store is queued and ended after a while without any. */
    private final ThreadPoolExecutor thread;
    /** System.nanoTime() of the last build's start or end. */
    private final AtomicLong lastBuild =
            new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS));
    /** Set by close(): stores then run at once. */
    private volatile boolean closing;
    /** How many {@link Suspension}s are open. */
    private final AtomicInteger suspensions = new AtomicInteger();

    /** Holds stores off from {@link #suspend} until closed (closing twice counts once). */
    final class Suspension implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Suspension() {
            suspensions.incrementAndGet();
        }

        @Override
        public void close() {
            if (open.getAndSet(false)) {
                buildActivity(); // the stores held off then wait for a quiet period like any other
                suspensions.decrementAndGet();
            }
        }
    }

    BinaryWriter(ProgramBinaries binaries, ClQueue queue, String deviceId) {
        this.binaries = binaries;
        this.queue = queue;
        this.thread =
                new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread writer = new Thread(task, "jconv-binary-writer " + deviceId);
                    writer.setDaemon(true); // never keeps a JVM alive; close() is what waits
                    return writer;
                });
    }

    /** Notes that a build starts or ends now, which postpones the stores (see the class comment). */
    void buildActivity() {
        lastBuild.set(System.nanoTime());
    }

    /**
     * Until the returned handle is closed, programs built are not stored and stores already queued wait. For the
     * tuner: a store stalls the kernels that run beside it (while PoCL compiled a 512-item barrier GEMM candidate's
     * program again for its binary, dcgan_T3's 5 ms default took 440 to 900 ms a call), which made tunes report a
     * slowed-down device; and candidates, mostly losers, are not worth keeping (the winner is stored when a module
     * first builds it).
     */
    Suspension suspend() {
        return new Suspension();
    }

    private void awaitQuiet() {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        while (!closing) {
            long remaining = suspensions.get() > 0 ? quietNanos : quietNanos - (System.nanoTime() - lastBuild.get());
            if (remaining <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Queues the store of {@code program}'s binary under {@code key}; does nothing for a retired program or while
     * stores are suspended.
     */
    void submit(String key, ClProgram program) {
        if (suspensions.get() > 0 || !program.tryUse()) {
            return;
        }
        try {
            thread.execute(new Store(key, program));
        } catch (RejectedExecutionException closed) {
            program.endUse();
        }
    }

    /** Waits until every store queued so far has run (after the quiet period); for tests that need the files. */
    void awaitQueued() {
        Future<?> marker;
        try {
            marker = thread.submit(() -> {}); // one thread, in order: it runs after every earlier store
        } catch (RejectedExecutionException closed) {
            return; // closed: close() has waited already
        }
        try {
            marker.get(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The stores themselves never throw; a timeout only means the files come later.
        }
    }

    private boolean lost() {
        try {
            queue.checkUsable();
            return false;
        } catch (DeviceLostException e) {
            return true; // a lost device gives no binaries: nothing to store
        }
    }

    /** Lets queued stores finish (bounded), then drops what is left; idempotent. */
    @Override
    public void close() {
        closing = true;
        thread.shutdown();
        try {
            if (thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> dropped = thread.shutdownNow();
        for (Runnable task : dropped) {
            if (task instanceof Store store) {
                store.drop();
            }
        }
    }
}
