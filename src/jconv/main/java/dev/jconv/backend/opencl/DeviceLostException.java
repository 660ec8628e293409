package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_DEVICE_NOT_AVAILABLE;
import static org.jocl.CL.CL_INVALID_COMMAND_QUEUE;
import static org.jocl.CL.CL_INVALID_CONTEXT;

/**
 * An OpenCL device that can run nothing more. Thrown by the call whose driver error said so, and then by every later
 * call on the same opened device at once, without reaching the driver, so a lost GPU gives one clear error per call
 * instead of a hang. The cure is a new context: close the device and select it again.
 *
 * <p>Which errors mean "lost": {@code CL_DEVICE_NOT_AVAILABLE}, and {@code CL_INVALID_COMMAND_QUEUE} or
 * {@code CL_INVALID_CONTEXT} on the queue and context jconv created and still holds, which only a driver that gave
 * them up (after a GPU fault or reset) reports. {@code CL_OUT_OF_RESOURCES} is not: drivers return it for a single
 * refused request too; when it does come from a dead queue, the next call's {@code CL_INVALID_COMMAND_QUEUE} marks
 * the device lost.
 */
public final class DeviceLostException extends OpenClException {

    private static final long serialVersionUID = 1L;

    DeviceLostException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    /** True for the statuses that mean the device, its context or its queue is gone for good. */
    static boolean meansLost(int status) {
        return status == CL_DEVICE_NOT_AVAILABLE || status == CL_INVALID_COMMAND_QUEUE || status == CL_INVALID_CONTEXT;
    }
}
