package dev.jconv.backend.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/**
 * An OpenCL call that failed, named the way the OpenCL headers name it ({@code CL_OUT_OF_RESOURCES}), together with
 * the operation and sizes that were being attempted, so the message alone says what went wrong and where.
 */
public class OpenClException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    OpenClException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * Wraps JOCL's exception: {@code "<what> failed: CL_OUT_OF_RESOURCES (-5)"}, plus {@code [injected fault ...]}
     * when {@link Faults} made it, so a made-up failure is never taken for the driver's.
     */
    static OpenClException of(CLException failure, String what) {
        int status = failure.getStatus();
        String injected = failure instanceof InjectedFault fault ? " [" + fault.describe() + "]" : "";
        return new OpenClException(
                what + " failed: " + errorName(status) + " (" + status + ")" + injected, status, failure);
    }

    /** The OpenCL name of a status code, e.g. {@code CL_INVALID_KERNEL_ARGS}. */
    static String errorName(int status) {
        return CL.stringFor_errorCode(status);
    }

    /** The raw OpenCL status code, e.g. -5 for CL_OUT_OF_RESOURCES. */
    public int status() {
        return status;
    }

    /** The OpenCL name of {@link #status()}. */
    public String errorName() {
        return errorName(status);
    }
}
