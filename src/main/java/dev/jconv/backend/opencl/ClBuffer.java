package dev.jconv.backend.opencl;

import static org.jocl.CL.clReleaseMemObject;

import dev.jconv.backend.DeviceBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jocl.cl_mem;

/**
 * One {@code cl_mem} of floats, released exactly once by its owner: {@link #close()} is idempotent.
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

    /** @param onRelease told once, after the cl_mem is released (the backend's bookkeeping) */
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
     * Releases the cl_mem. Kernels already queued that use it still complete: OpenCL frees the memory only after
     * them.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                clReleaseMemObject(memory);
            } finally {
                onRelease.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return "ClBuffer(" + length + " floats" + (closed.get() ? ", closed" : "") + ")";
    }
}
