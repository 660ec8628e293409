package dev.jconv.backend.opencl;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps kernels of two command queues on one device from being in flight at once: before a queue enqueues a kernel,
 * the queue that enqueued the last kernel on the same device is drained. A process normally has one queue per device
 * ({@link dev.jconv.Devices} opens each device once), and then this costs one map lookup per launch; it matters when a
 * second backend is opened on a device (tests, tools).
 *
 * <p>Why: PoCL's CPU driver (3.x) keeps one loaded work-group function per kernel, work-group size and grid width, but
 * releases them by kernel and work-group size alone. One kernel at one work-group size running at two grid widths on
 * two queues at once can release the wrong entry and abort the process in {@code pocl_release_dlhandle_cache}
 * ({@code Assertion found->ref_count > 0}). One in-order queue never has two launches in flight, so taking turns
 * between queues rules the abort out; on other drivers it only serialises what a second backend would have overlapped.
 */
final class KernelTurns {

    private static final Logger LOG = LoggerFactory.getLogger(KernelTurns.class);

    /** Per device id, the queue whose kernels may still be running. */
    private static final Map<String, ClQueue> LAST = new HashMap<>();
    /** How many launches had to drain another queue first; for tests. */
    private static long switches;

    private KernelTurns() {}

    /** Runs {@code enqueue}, which enqueues one kernel on {@code queue}, once no other queue's kernels are running. */
    static synchronized void enqueue(ClQueue queue, Runnable enqueue) {
        ClQueue last = LAST.put(queue.deviceId(), queue);
        if (last != null && last != queue) {
            switches++;
            try {
                last.finishUnlessLost();
            } catch (OpenClException e) {
                // The other backend's failure is its own: it has marked itself lost where that is what the error
                // means, and its next call reports it. This launch goes ahead.
                LOG.debug("draining another queue on {} before a launch failed: {}", queue.deviceId(), e.getMessage());
            }
        }
        enqueue.run();
    }

    static synchronized long switches() {
        return switches;
    }

    /** Forgets {@code queue} before it is released, so no later turn drains a released queue. */
    static synchronized void leave(ClQueue queue) {
        LAST.remove(queue.deviceId(), queue);
    }
}
