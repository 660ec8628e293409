package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;
import static org.jocl.CL.clCreateCommandQueueWithProperties;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

import org.jocl.CLException;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_queue_properties;

/**
 * The context and the one in-order command queue of an opened device. Every op is enqueued here, so ops run in the
 * order they were issued and need no host synchronisation between them.
 *
 * <p>The queue also knows whether the device is lost ({@link DeviceLostException}): failures are turned into
 * exceptions by {@link #failure}, which notices the statuses that mean "lost", and from then on {@link #queue()},
 * {@link #context()} and {@link #checkUsable()} throw at once, so no later call reaches a dead driver and hangs.
 */
final class ClQueue implements AutoCloseable {

    private static final String RECOVERY = "close the device and select it again, or use another device";

    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String deviceName;
    private final String deviceId;
    /** The failure that showed the device is lost; null while it works. */
    private volatile OpenClException lostBy;

    private boolean closed;

    ClQueue(DeviceHandle handle, boolean profiling) {
        this.device = handle.device();
        this.deviceName = handle.info().summary();
        this.deviceId = handle.info().id();
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, handle.platform());
        try {
            this.context = clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, null);
        } catch (CLException e) {
            throw OpenClException.of(
                    e, "creating an OpenCL context on " + handle.info().summary());
        }
        try {
            this.queue = createQueue(context, device, profiling, handle.info().version());
        } catch (CLException e) {
            clReleaseContext(context);
            throw OpenClException.of(
                    e, "creating a command queue on " + handle.info().summary());
        }
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(
            cl_context context, cl_device_id device, boolean profiling, String version) {
        long flags = profiling ? CL_QUEUE_PROFILING_ENABLE : 0;
        if (version.startsWith("OpenCL 1.")) {
            // clCreateCommandQueueWithProperties is OpenCL 2.0; 1.x drivers only have the deprecated call.
            return org.jocl.CL.clCreateCommandQueue(context, device, flags, null);
        }
        if (flags == 0) {
            // An explicit {CL_QUEUE_PROPERTIES, 0} list intermittently fails with CL_INVALID_VALUE through JOCL
            // 2.0.5 on PoCL; no list at all means the same default in-order queue.
            return clCreateCommandQueueWithProperties(context, device, null, null);
        }
        cl_queue_properties properties = new cl_queue_properties();
        properties.addProperty(CL_QUEUE_PROPERTIES, flags);
        return clCreateCommandQueueWithProperties(context, device, properties, null);
    }

    /** The device's id in discovery ({@code opencl:N}): the same for every queue opened on that device. */
    String deviceId() {
        return deviceId;
    }

    cl_device_id device() {
        return device;
    }

    cl_context context() {
        checkUsable();
        return context;
    }

    cl_command_queue queue() {
        checkUsable();
        return queue;
    }

    /**
     * Fails fast once the device is lost.
     *
     * @throws DeviceLostException naming the failure that lost it
     */
    void checkUsable() {
        OpenClException cause = lostBy;
        if (cause != null) {
            throw new DeviceLostException(
                    deviceName + " is lost (" + cause.getMessage() + ") and runs nothing more; " + RECOVERY,
                    cause.status(),
                    cause);
        }
    }

    /**
     * The exception for a failed call on this device: an {@link OpenClException} naming the error and {@code what},
     * or, when the status means the device is lost, a {@link DeviceLostException} that also marks it lost.
     */
    OpenClException failure(CLException error, String what) {
        OpenClException failure = OpenClException.of(error, what);
        if (!DeviceLostException.meansLost(error.getStatus())) {
            return failure;
        }
        synchronized (this) {
            if (lostBy == null) {
                lostBy = failure;
            }
        }
        return new DeviceLostException(
                failure.getMessage() + "; the device is lost, so every later call on it fails" + " at once; "
                        + RECOVERY,
                error.getStatus(),
                error);
    }

    void finish() {
        cl_command_queue usable = queue();
        try {
            Faults.check(FaultPoint.FINISH);
            clFinish(usable);
        } catch (CLException e) {
            throw failure(e, "waiting for queued work on " + deviceName + " (clFinish)");
        }
    }

    /** Waits for queued work before the owner releases what it uses, except on a lost device, where it could hang. */
    void finishUnlessLost() {
        if (lostBy == null) {
            try {
                clFinish(queue);
            } catch (CLException e) {
                throw failure(e, "waiting for queued work on " + deviceName + " (clFinish)");
            }
        }
    }

    /** Waits for queued work (unless the device is lost), then releases the queue and the context; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        KernelTurns.leave(this);
        try {
            if (lostBy == null) {
                clFinish(queue);
            }
        } finally {
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }
}
