package dev.jconv.backend.java;

import dev.jconv.backend.DeviceBuffer;

/** A Java array posing as device memory: the Java backend's "device" is the heap. */
public final class HostBuffer implements DeviceBuffer {

    private final float[] data;
    private volatile boolean closed;

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
