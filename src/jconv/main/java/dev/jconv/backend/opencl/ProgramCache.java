package dev.jconv.backend.opencl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The programs built on one device, keyed by (source, build options), at most {@link #capacity()} of them, least
 * recently used first out.
 *
 * <p>Building: each program is built by the first thread that asks for it, outside any lock; a thread asking for the
 * same program meanwhile waits for that build (a future per key) instead of building it again, and threads building
 * different programs never wait for each other. The one lock guards only the map and is never held while building or
 * releasing. A failed build is not kept: every thread waiting for it gets its exception, and the next request tries
 * again.
 *
 * <p>Eviction, and why it never pulls a program from under a launch: a launch takes a {@link Lease} on the program
 * before it takes a kernel and closes it once its enqueue has returned. Evicting a program only retires it
 * ({@link ClProgram#retire}): it takes no new lease, and its kernels and cl_program are released when its last lease
 * closes, which is at once when none is open. After the enqueue has returned, releasing is safe: OpenCL frees a
 * kernel or program only when no enqueued command still needs it. A launch that finds its program retired between
 * the lookup and the lease simply looks again (and rebuilds it, or loads its binary). Closing the cache retires
 * every program the same way.
 */
final class ProgramCache implements AutoCloseable {

    /** System property: how many programs one device keeps built (default {@value #DEFAULT_CAPACITY}). */
    static final String CAPACITY_PROPERTY = "jconv.programCacheSize";

    static final int DEFAULT_CAPACITY = 64;

    /** Builds (or loads) one program; {@link ProgramLoader#load} outside tests. */
    @FunctionalInterface
    interface Builder {
        ProgramLoader.Loaded load(String sourceName, String source, String options);
    }

    private record Key(String sourceName, String options) {}

    /** A program being built, or built: complete only with a program; a failed build's entry leaves the map. */
    private static final class Entry {
        final CompletableFuture<ClProgram> program = new CompletableFuture<>();
    }

    /** One launch's claim on a program: the program stays alive until it is closed. Used by one thread. */
    static final class Lease implements AutoCloseable {
        private final ClProgram program;
        private boolean closed;

        private Lease(ClProgram program) {
            this.program = program;
        }

        ClProgram program() {
            return program;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                program.endUse();
            }
        }
    }

    private final Builder builder;
    private final String deviceName;
    private final int capacity;
    private final Object lock = new Object();
    /** In access order, so the first entry is the least recently used. Guarded by {@link #lock}. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Entries whose build has completed; guarded by {@link #lock}. */
    private int held;

    private boolean closed;
    private final LongAdder built = new LongAdder();
    private final LongAdder loaded = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final LongAdder evicted = new LongAdder();

    /**
     * @param capacity the most programs kept built; programs being built count only once done, so while N builds
     *                 run at once the cache may hold up to capacity + N - 1 for a moment
     */
    ProgramCache(Builder builder, int capacity, String deviceName) {
        if (capacity < 1) {
            throw new IllegalArgumentException("program cache capacity must be at least 1, but got " + capacity);
        }
        this.builder = builder;
        this.capacity = capacity;
        this.deviceName = deviceName;
    }

    /**
     * The capacity set by {@value #CAPACITY_PROPERTY}, else {@value #DEFAULT_CAPACITY}.
     *
     * @throws IllegalArgumentException naming the property when it is not a positive integer
     */
    static int configuredCapacity() {
        String text = System.getProperty(CAPACITY_PROPERTY);
        if (text == null || text.isBlank()) {
            return DEFAULT_CAPACITY;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new IllegalArgumentException("system property " + CAPACITY_PROPERTY + " must be a positive integer"
                + " (programs kept per device), but got '" + text + "'");
    }

    /** A lease on the packaged source {@code sourceName} built with {@code options}; built on first request. */
    Lease acquire(String sourceName, String options) {
        return acquire(sourceName, KernelSources.load(sourceName), options);
    }

    /**
     * A lease on the program of {@code source} built with {@code options}, built (or loaded) on first request. Close
     * it once the kernel taken from it is enqueued. Package-private with a source so tests can hand in a broken one.
     *
     * @throws KernelBuildException when it does not build
     */
    Lease acquire(String sourceName, String source, String options) {
        Key key = new Key(sourceName, options);
        while (true) {
            Entry entry;
            boolean mine;
            synchronized (lock) {
                ensureOpen();
                entry = entries.get(key);
                mine = entry == null;
                if (mine) {
                    entry = new Entry();
                    entries.put(key, entry);
                }
            }
            ClProgram program = mine ? build(key, entry, source) : await(entry);
            if (program.tryUse()) {
                if (!mine) {
                    reused.increment();
                }
                return new Lease(program);
            }
            // Evicted (or the cache closed) between its build and this lease: look it up again.
        }
    }

    /** Makes sure the program is built and its kernel {@code kernelName} created, without launching anything. */
    void prepare(String sourceName, String options, String kernelName) {
        try (Lease lease = acquire(sourceName, options)) {
            lease.program().kernel(kernelName);
        }
    }

    private ClProgram build(Key key, Entry entry, String source) {
        ProgramLoader.Loaded result;
        try {
            result = builder.load(key.sourceName(), source, key.options());
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                entries.remove(key, entry);
            }
            entry.program.completeExceptionally(e);
            throw e;
        }
        (result.origin() == ProgramLoader.Origin.LOADED ? loaded : built).increment();
        ClProgram program = result.program();
        List<ClProgram> out;
        synchronized (lock) {
            if (closed) {
                out = List.of(program);
            } else {
                held++;
                out = evictBeyondCapacity();
            }
            entry.program.complete(program);
        }
        // Retired outside the lock: releasing handles is a driver call, and nothing here needs the map.
        out.forEach(ClProgram::retire);
        return program;
    }

    /** Removes least recently used built programs until at most {@link #capacity} are held; under the lock. */
    private List<ClProgram> evictBeyondCapacity() {
        List<ClProgram> out = new ArrayList<>();
        Iterator<Map.Entry<Key, Entry>> oldestFirst = entries.entrySet().iterator();
        while (held > capacity && oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next().getValue();
            if (entry.program.isDone()) { // one still being built has no program to release yet
                oldestFirst.remove();
                held--;
                out.add(entry.program.join());
            }
        }
        evicted.add(out.size());
        return out;
    }

    /** The program another thread is building or has built; its failure, if it failed, as it was thrown there. */
    private static ClProgram await(Entry entry) {
        try {
            return entry.program.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("program cache of " + deviceName + " used after close()");
        }
    }

    int capacity() {
        return capacity;
    }

    /** Programs built and held now. */
    int size() {
        synchronized (lock) {
            return held;
        }
    }

    ProgramCounts counts() {
        return new ProgramCounts(built.sum(), loaded.sum(), reused.sum(), evicted.sum(), size());
    }

    /** Retires every program: released now, or when the launch using it has enqueued. Idempotent. */
    @Override
    public void close() {
        List<ClProgram> programs = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry entry : entries.values()) {
                if (entry.program.isDone()) {
                    programs.add(entry.program.join());
                }
            }
            entries.clear();
            held = 0;
        }
        programs.forEach(ClProgram::retire);
    }
}
