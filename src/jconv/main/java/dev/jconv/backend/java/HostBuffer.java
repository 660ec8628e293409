package dev.jconv.backend.java;

import dev.jconv.backend.DeviceBuffer;
import java.util.function.Supplier;

/** A Java array posing as device memory: the Java backend's "device" is the heap. */
public final class HostBuffer implements DeviceBuffer {

    private final float[] data;
    private volatile boolean closed;
    /** One value computed from the contents (a weight rearranged for a kernel), with what it was computed for. */
    private volatile Derived derived;

    private record Derived(Object key, Object value) {}

    HostBuffer(float[] data) {
        this.data = data;
    }

    /** The array itself, for the Java kernels; fails after close so a use-after-close never reads stale data. */
    public float[] data() {
        if (closed) {
            throw new IllegalStateException("buffer of " + data.length + " floats used after close()");
        }
        return data;
    }

    /**
     * The value {@code compute} gives for {@code key}, computed once while the contents stay the same: a module's
     * weights are uploaded once and only read, so a layout derived from them is worth keeping between calls. One value
     * is kept; a different key replaces it. Threads that race on the first call may both compute it, which costs
     * time only, since equal keys give equal values.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(Object key, Supplier<T> compute) {
        Derived held = derived;
        if (held == null || !held.key().equals(key)) {
            held = new Derived(key, compute.get());
            derived = held;
        }
        return (T) held.value();
    }

    /** Called before an op writes this buffer: a value derived from the old contents would no longer hold. */
    void contentsChanging() {
        derived = null;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
