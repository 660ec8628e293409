package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_INVALID_WORK_GROUP_SIZE;

import java.util.Arrays;

/**
 * A kernel that built, but whose launch asks for more work-items per work-group than the driver allows that kernel
 * ({@code CL_KERNEL_WORK_GROUP_SIZE}). A GPU driver sets that limit per kernel, below the device's maximum when the
 * kernel needs many registers, so a parameter set that fits the device can still be refused once built. Thrown before
 * the enqueue, so the op can run another kernel instead of failing with {@code CL_INVALID_WORK_GROUP_SIZE}.
 */
public final class WorkGroupLimitException extends OpenClException {

    private static final long serialVersionUID = 1L;

    WorkGroupLimitException(KernelLaunch launch, long limit, String deviceName) {
        super(
                "kernel " + launch.kernelName() + " of " + launch.sourceName() + " allows at most " + limit
                        + " work-items per work-group on " + deviceName + ", but its launch asks for "
                        + workItems(launch.local()) + " (local " + Arrays.toString(launch.local()) + ")\noptions: "
                        + launch.options(),
                CL_INVALID_WORK_GROUP_SIZE,
                null);
    }

    /** The work-items in one work-group of this local size. */
    static long workItems(long[] local) {
        long items = 1;
        for (long size : local) {
            items *= size;
        }
        return items;
    }
}
