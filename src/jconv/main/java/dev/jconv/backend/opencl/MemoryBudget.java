package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;

/**
 * Checks each allocation against the device's limits before asking the driver, so a buffer that cannot fit fails
 * with the sizes involved rather than a late CL_MEM_OBJECT_ALLOCATION_FAILURE, and counts what is alive. (Splitting a
 * batch to fit is planned before allocating, in dev.jconv.OpExecution, from the same device limits.)
 */
final class MemoryBudget {

    private final long maxAllocation;
    private final long globalMemory;
    private final String deviceName;
    private long liveBytes;
    private long liveBuffers;

    MemoryBudget(DeviceInfo info) {
        this.maxAllocation = info.maxAllocation();
        this.globalMemory = info.globalMemory();
        this.deviceName = info.summary();
    }

    /**
     * Records a buffer of {@code bytes} about to be created.
     *
     * @throws IllegalArgumentException when one buffer of that size exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE
     * @throws IllegalStateException    when it would take the live total past CL_DEVICE_GLOBAL_MEM_SIZE
     */
    synchronized void reserve(long bytes) {
        if (bytes > maxAllocation) {
            throw new IllegalArgumentException("a buffer of " + bytes + " bytes (" + bytes / Float.BYTES
                    + " floats) exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + maxAllocation + " bytes on " + deviceName
                    + "; use a smaller batch");
        }
        if (liveBytes + bytes > globalMemory) {
            throw new IllegalStateException("a buffer of " + bytes + " bytes does not fit on " + deviceName + ": "
                    + liveBytes + " bytes are in use of CL_DEVICE_GLOBAL_MEM_SIZE = " + globalMemory
                    + " bytes; close tensors you no longer need or use a smaller batch");
        }
        liveBytes += bytes;
        liveBuffers++;
    }

    /** Undoes {@link #reserve} when the buffer is released or its creation failed. */
    synchronized void release(long bytes) {
        liveBytes -= bytes;
        liveBuffers--;
    }

    synchronized long liveBuffers() {
        return liveBuffers;
    }

    /** Bytes of the live buffers, guards included. */
    synchronized long liveBytes() {
        return liveBytes;
    }
}
