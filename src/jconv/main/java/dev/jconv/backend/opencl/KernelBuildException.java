package dev.jconv.backend.opencl;

/**
 * A kernel program that the OpenCL compiler rejected, carrying the compiler's build log and the build options, so a
 * broken kernel or an unsupported define shows its real error instead of a bare status code.
 */
public final class KernelBuildException extends OpenClException {

    private static final long serialVersionUID = 1L;

    private final String buildLog;

    KernelBuildException(
            String sourceName, String options, String deviceName, int status, String buildLog, Throwable cause) {
        super(
                "building " + sourceName + " for " + deviceName + " failed: " + errorName(status) + " (" + status + ")"
                        + (cause instanceof InjectedFault fault ? " [" + fault.describe() + "]" : "") + "\noptions: "
                        + options + "\nbuild log:\n" + buildLog,
                status,
                cause);
        this.buildLog = buildLog;
    }

    /** The compiler's output, as clGetProgramBuildInfo(CL_PROGRAM_BUILD_LOG) returned it. */
    public String buildLog() {
        return buildLog;
    }
}
