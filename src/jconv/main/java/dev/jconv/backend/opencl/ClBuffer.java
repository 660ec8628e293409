package dev.jconv.backend.opencl;

import dev.jconv.backend.DeviceBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jocl.cl_mem;

/**
 * One caller's hold on a {@code cl_mem} of floats, given back exactly once: {@link #close()} is idempotent and hands
 * the cl_mem to the backend, which pools or releases it. A closed ClBuffer never reaches the driver again, even when
 * its cl_mem lives on in another ClBuffer.
 *
 * <p>The data starts {@link #GUARD_FLOATS} floats into the cl_mem and is followed by as many again: kernels load whole
 * vectors at borders and discard the lanes outside the data, and the guard keeps those loads inside the allocation.
 */
final class ClBuffer implements DeviceBuffer {

    /** Floats of slack before and after the data; kernels get it as the GUARD define. */
    static final int GUARD_FLOATS = 64;

    /** Byte offset of the data inside the cl_mem. */
    static final long DATA_OFFSET_BYTES = (long) GUARD_FLOATS * Float.BYTES;

    /** Bytes to allocate for {@code floats} floats of data and the guards around them. */
    static long allocationBytes(long floats) {
        return (floats + 2L * GUARD_FLOATS) * Float.BYTES;
    }

    private final cl_mem memory;
    private final long length;
    private final long bytes;
    private final Consumer<ClBuffer> onRelease;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Kernels enqueued with this buffer as their output, so that copies made from it can tell they are stale. */
    private final AtomicLong writes = new AtomicLong();

    /** @param onRelease told once, on close; it owns the cl_mem from then on (see {@link #releasedMemory()}) */
    ClBuffer(cl_mem memory, long length, long bytes, Consumer<ClBuffer> onRelease) {
        this.memory = memory;
        this.length = length;
        this.bytes = bytes;
        this.onRelease = onRelease;
    }

    /** The cl_mem, for kernel arguments; fails after close so a released handle never reaches the driver. */
    cl_mem memory() {
        if (closed.get()) {
            throw new IllegalStateException("OpenCL buffer of " + length + " floats used after close()");
        }
        return memory;
    }

    /** The cl_mem for the backend to pool or release once this buffer has closed. */
    cl_mem releasedMemory() {
        if (!closed.get()) {
            throw new IllegalStateException("OpenCL buffer of " + length + " floats is still open");
        }
        return memory;
    }

    /** Records that a kernel writing this buffer has been enqueued. */
    void markWritten() {
        writes.incrementAndGet();
    }

    /** How many kernels writing this buffer have been enqueued (an upload is its creation, not a write). */
    long writes() {
        return writes.get();
    }

    /** Bytes the driver allocated, guards included. */
    long bytes() {
        return bytes;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Gives the cl_mem back to the backend. Kernels already queued that use it still complete first: OpenCL frees
     * memory only after them, and a pooled cl_mem is only reused by commands later in the same in-order queue.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onRelease.accept(this);
        }
    }

    @Override
    public String toString() {
        return "ClBuffer(" + length + " floats" + (closed.get() ? ", closed" : "") + ")";
    }
}
