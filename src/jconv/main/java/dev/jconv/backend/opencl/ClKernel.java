package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_KERNEL_COMPILE_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clSetKernelArg;

import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One {@code cl_kernel}. A kernel object holds its arguments between clSetKernelArg and the enqueue, so setting them
 * and enqueueing happen under this object's lock: threads may share a kernel, never interleave on it.
 */
final class ClKernel {

    private final cl_kernel kernel;
    private final String name;
    private boolean released;
    /**
     * The value each argument was last set to (a cl_mem, or an Integer), by index. A kernel object keeps its arguments
     * across enqueues, so a layer called again on the same buffers and sizes sets only what changed: each
     * clSetKernelArg is a JNI and a driver call, and a small op's forward call used to spend a tenth of its host time
     * setting eight of them.
     */
    private Object[] lastSet = new Object[0];
    /** CL_KERNEL_WORK_GROUP_SIZE once asked; 0 before. */
    private long workGroupLimit;

    ClKernel(cl_kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    /**
     * Sets the buffer arguments, then the int arguments, then the local memory argument if any, in order, and enqueues
     * the NDRange, without waiting for it.
     *
     * @param localFloats the floats of the local memory argument after the int ones; 0 when the kernel takes none
     * @param local null to let the driver choose the work-group size
     * @param timer null unless the queue profiles; it then receives the kernel's event
     * @param what  the op and its sizes, for the message of a failure (built only then)
     */
    synchronized void enqueue(
            ClQueue queue,
            ClBuffer[] arguments,
            int[] scalars,
            int localFloats,
            long[] global,
            long[] local,
            KernelTimer timer,
            Supplier<String> what) {
        try {
            int count = arguments.length + scalars.length + (localFloats > 0 ? 1 : 0);
            if (lastSet.length != count) {
                lastSet = new Object[count];
            }
            for (int index = 0; index < arguments.length; index++) {
                cl_mem memory = arguments[index].memory();
                // Identity: a cl_mem object stands for one live buffer (the pool reuses the object with its memory).
                if (lastSet[index] != memory) {
                    lastSet[index] = null;
                    clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(memory));
                    lastSet[index] = memory;
                }
            }
            for (int index = 0; index < scalars.length; index++) {
                int argument = arguments.length + index;
                if (!(lastSet[argument] instanceof Integer last) || last != scalars[index]) {
                    lastSet[argument] = null;
                    clSetKernelArg(kernel, argument, Sizeof.cl_int, Pointer.to(new int[] {scalars[index]}));
                    lastSet[argument] = scalars[index];
                }
            }
            if (localFloats > 0) {
                int argument = arguments.length + scalars.length;
                LocalMemory size = new LocalMemory(localFloats);
                if (!size.equals(lastSet[argument])) {
                    lastSet[argument] = null;
                    // A local memory argument has a size and no value: each work-group gets its own.
                    clSetKernelArg(kernel, argument, (long) localFloats * Sizeof.cl_float, null);
                    lastSet[argument] = size;
                }
            }
            cl_event event = timer == null ? null : new cl_event();
            Faults.check(FaultPoint.KERNEL);
            // The timer takes the event only once the enqueue succeeded: a refused enqueue creates no event.
            KernelTurns.enqueue(
                    queue,
                    () -> clEnqueueNDRangeKernel(
                            queue.queue(), kernel, global.length, null, global, local, 0, null, event));
            if (timer != null) {
                timer.record(event);
            }
        } catch (CLException e) {
            throw queue.failure(
                    e,
                    what.get() + " (global " + java.util.Arrays.toString(global) + ", local "
                            + java.util.Arrays.toString(local) + ")");
        }
    }

    /** What a local memory argument was last set to: its size. */
    private record LocalMemory(int floats) {}

    /** The kernel's name in its program. */
    String name() {
        return name;
    }

    /**
     * The most work-items one work-group of this kernel may have on {@code device} (CL_KERNEL_WORK_GROUP_SIZE), asked
     * once: a driver may set it below the device's maximum for a kernel that needs many registers.
     */
    synchronized long workGroupLimit(cl_device_id device) {
        if (workGroupLimit == 0) {
            long[] size = new long[1];
            try {
                clGetKernelWorkGroupInfo(
                        kernel, device, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
            } catch (CLException e) {
                throw OpenClException.of(e, "asking the work-group limit of kernel " + name);
            }
            workGroupLimit = size[0];
        }
        return workGroupLimit;
    }

    /** The work-group size the kernel declares ({@code reqd_work_group_size}), or zeros; for tests. */
    synchronized long[] declaredWorkGroupSize(cl_device_id device) {
        long[] size = new long[3];
        clGetKernelWorkGroupInfo(
                kernel, device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE, 3L * Sizeof.size_t, Pointer.to(size), null);
        return size;
    }

    synchronized void release() {
        if (!released) {
            released = true;
            clReleaseKernel(kernel);
        }
    }
}
