package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseProgram;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/** One built {@code cl_program} and the kernel objects made from it; releases them all on close. */
final class ClProgram implements AutoCloseable {

    private final cl_program program;
    private final String sourceName;
    private final Map<String, ClKernel> kernels = new HashMap<>();
    private boolean closed;

    private ClProgram(cl_program program, String sourceName) {
        this.program = program;
        this.sourceName = sourceName;
    }

    /**
     * Compiles {@code source} for the queue's device.
     *
     * @throws KernelBuildException with the compiler's log when the build fails
     */
    static ClProgram build(ClQueue queue, String sourceName, String source, String options, String deviceName) {
        cl_program program;
        try {
            program = clCreateProgramWithSource(queue.context(), 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw queue.failure(e, "creating program " + sourceName + " on " + deviceName);
        }
        try {
            Faults.check(FaultPoint.BUILD);
            clBuildProgram(program, 1, new cl_device_id[] {queue.device()}, options, null, null);
        } catch (CLException e) {
            String log = e instanceof InjectedFault ? "(none: the fault was injected before the compiler ran)"
                    : buildLog(program, queue.device());
            // Released before anything can cache it: a failed build leaves no half-built program behind.
            clReleaseProgram(program);
            // Only to mark a lost device; the build's own exception, with its log, is the one to throw.
            queue.failure(e, "building " + sourceName);
            throw new KernelBuildException(sourceName, options, deviceName, e.getStatus(), log, e);
        }
        return new ClProgram(program, sourceName);
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            int length = log.length;
            while (length > 0 && log[length - 1] == 0) {
                length--;
            }
            return new String(log, 0, length, StandardCharsets.UTF_8);
        } catch (CLException e) {
            return "(the driver gave no build log: " + OpenClException.errorName(e.getStatus()) + ")";
        }
    }

    /** The kernel called {@code name}, created on first use and kept for the program's life. */
    synchronized ClKernel kernel(String name) {
        if (closed) {
            throw new IllegalStateException("program " + sourceName + " used after close()");
        }
        return kernels.computeIfAbsent(name, key -> {
            try {
                return new ClKernel(clCreateKernel(program, key, null));
            } catch (CLException e) {
                throw OpenClException.of(e, "creating kernel " + key + " from " + sourceName);
            }
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kernels.values().forEach(ClKernel::release);
        kernels.clear();
        clReleaseProgram(program);
    }
}
