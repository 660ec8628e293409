package dev.jconv.backend.opencl;

import static org.jocl.CL.clReleaseMemObject;

import dev.jconv.backend.DeviceBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jocl.cl_mem;

/** One {@code cl_mem} of floats, released exactly once by its owner: {@link #close()} is idempotent. */
final class ClBuffer implements DeviceBuffer {

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

    /** Bytes the driver allocated (at least one float, since OpenCL refuses empty buffers). */
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
