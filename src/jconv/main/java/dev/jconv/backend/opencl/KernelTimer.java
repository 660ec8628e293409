package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_COMPLETE;
import static org.jocl.CL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.clGetEventInfo;
import static org.jocl.CL.clGetEventProfilingInfo;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Adds up the device time (CL_PROFILING_COMMAND_END - START) of kernels run on a profiling queue. Each event is read
 * once it has completed and then released, so profiling leaks nothing; the number of pending events is bounded by
 * waiting for the oldest when too many are outstanding.
 */
final class KernelTimer {

    /** Beyond this many unread events the oldest is waited for, so a long chain never piles up events. */
    private static final int MAX_PENDING = 256;

    private final Deque<cl_event> pending = new ArrayDeque<>();
    private long completedNanos;

    /** Takes ownership of {@code event}, an enqueued kernel's event. */
    synchronized void record(cl_event event) {
        pending.addLast(event);
        if (pending.size() > MAX_PENDING) {
            cl_event oldest = pending.removeFirst();
            clWaitForEvents(1, new cl_event[] {oldest});
            account(oldest);
        }
    }

    /** Kernel-only nanoseconds of every recorded kernel that has completed by now. */
    synchronized long completedNanos() {
        while (!pending.isEmpty() && isComplete(pending.peekFirst())) {
            account(pending.removeFirst());
        }
        return completedNanos;
    }

    /** Releases the events still pending (the queue has been finished by then). */
    synchronized void close() {
        while (!pending.isEmpty()) {
            clReleaseEvent(pending.removeFirst());
        }
    }

    private static boolean isComplete(cl_event event) {
        int[] status = new int[1];
        clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(status), null);
        return status[0] == CL_COMPLETE;
    }

    private void account(cl_event event) {
        try {
            completedNanos +=
                    profilingTime(event, CL_PROFILING_COMMAND_END) - profilingTime(event, CL_PROFILING_COMMAND_START);
        } finally {
            clReleaseEvent(event);
        }
    }

    private static long profilingTime(cl_event event, int which) {
        long[] time = new long[1];
        clGetEventProfilingInfo(event, which, Sizeof.cl_ulong, Pointer.to(time), null);
        return time[0];
    }
}
