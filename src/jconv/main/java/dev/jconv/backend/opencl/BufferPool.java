package dev.jconv.backend.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_mem;

/**
 * Released cl_mem objects of one backend kept for later allocations of the same byte size, so a steady chain of ops
 * (each output allocated, used and closed) creates no driver buffers and touches no fresh pages. Bounded in count and
 * bytes; what does not fit is released at once, and {@link #close()} releases the rest.
 *
 * <p>Reuse is safe because the backend has one in-order queue: commands enqueued on a recycled cl_mem run after every
 * command enqueued on it before it was closed.
 */
final class BufferPool implements AutoCloseable {

    /** The most cl_mem objects, and bytes, the pool keeps; what would exceed either is released at once. */
    record Limits(int buffers, long bytes) {}

    private final Limits limits;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private int buffers;
    private long bytes;
    private long reuses;
    private boolean closed;

    BufferPool(Limits limits) {
        this.limits = limits;
    }

    /** A pooled cl_mem of exactly {@code size} bytes, now the caller's, or null when none is free. */
    synchronized cl_mem take(long size) {
        ArrayDeque<cl_mem> sameSize = free.get(size);
        if (sameSize == null || sameSize.isEmpty()) {
            return null;
        }
        buffers--;
        bytes -= size;
        reuses++;
        return sameSize.pop();
    }

    /** Takes back a cl_mem its owner no longer uses: kept when the pool has room, else released. */
    synchronized void give(cl_mem memory, long size) {
        if (closed || buffers + 1 > limits.buffers() || bytes + size > limits.bytes()) {
            clReleaseMemObject(memory);
            return;
        }
        free.computeIfAbsent(size, key -> new ArrayDeque<>()).push(memory);
        buffers++;
        bytes += size;
    }

    /** Releases every pooled cl_mem, for instance when an allocation needs the memory they hold. */
    synchronized void drain() {
        free.values().forEach(sameSize -> sameSize.forEach(org.jocl.CL::clReleaseMemObject));
        free.clear();
        buffers = 0;
        bytes = 0;
    }

    /**
     * The pool's counts at one moment.
     *
     * @param pooled cl_mem objects waiting in the pool
     * @param bytes  their bytes: device memory held though no buffer uses it
     * @param reuses allocations served from the pool so far
     */
    record Counts(int pooled, long bytes, long reuses) {}

    synchronized Counts counts() {
        return new Counts(buffers, bytes, reuses);
    }

    @Override
    public synchronized void close() {
        closed = true;
        drain();
    }
}
