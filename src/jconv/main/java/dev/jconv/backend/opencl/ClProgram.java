package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseProgram;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * One built {@code cl_program} and the kernel objects made from it; releases them all once nobody uses them.
 *
 * <p>Use counting: a launch holds a use ({@link #tryUse} ... {@link #endUse}) from taking a kernel until its enqueue
 * has returned. After that the driver keeps what the queued command needs (OpenCL's release calls free an object
 * only once no enqueued command needs it), so {@link #retire} may release the handles as soon as the count is zero,
 * and otherwise leaves that to the last use. A retired program accepts no new use.
 */
final class ClProgram implements AutoCloseable {

    private final cl_program program;
    private final String sourceName;
    private final Map<String, ClKernel> kernels = new HashMap<>();
    /** Launches between taking a kernel and their enqueue's return; guarded by this. */
    private int uses;
    /** No new use is accepted; the handles go when {@link #uses} is zero. Guarded by this. */
    private boolean retired;

    private boolean released;

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
        return finishBuild(queue, program, sourceName, options, deviceName);
    }

    /**
     * Creates the program from a binary this driver gave out earlier ({@link #binary}) and builds it, which for a
     * binary only links. It counts as a build for fault injection: a plan's {@code build:N} fails the Nth program
     * the device obtains, however it obtains it, so a test's count does not depend on what the cache holds.
     *
     * @throws KernelBuildException when the driver refuses the binary or its build; the cause is an
     *                              {@link InjectedFault} when the failure was injected
     */
    static ClProgram fromBinary(ClQueue queue, String sourceName, byte[] binary, String options, String deviceName) {
        cl_program program;
        int[] binaryStatus = new int[1];
        try {
            program = clCreateProgramWithBinary(
                    queue.context(),
                    1,
                    new cl_device_id[] {queue.device()},
                    new long[] {binary.length},
                    new byte[][] {binary},
                    binaryStatus,
                    null);
        } catch (CLException e) {
            queue.failure(e, "loading the binary of " + sourceName);
            throw new KernelBuildException(
                    sourceName,
                    options,
                    deviceName,
                    e.getStatus(),
                    "(none: the driver refused the cached binary, status " + OpenClException.errorName(binaryStatus[0])
                            + ")",
                    e);
        }
        return finishBuild(queue, program, sourceName, options, deviceName);
    }

    private static ClProgram finishBuild(
            ClQueue queue, cl_program program, String sourceName, String options, String deviceName) {
        try {
            Faults.check(FaultPoint.BUILD);
            clBuildProgram(program, 1, new cl_device_id[] {queue.device()}, options, null, null);
        } catch (CLException e) {
            String log = e instanceof InjectedFault
                    ? "(none: the fault was injected before the compiler ran)"
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

    /**
     * The built program as the driver stores it (CL_PROGRAM_BINARIES of its one device), for the binary cache.
     *
     * @throws CLException when the driver cannot give it; the caller then only skips caching it
     */
    synchronized byte[] binary() {
        if (released) {
            throw new IllegalStateException("program " + sourceName + " used after close()");
        }
        long[] size = new long[1];
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        if (size[0] <= 0 || size[0] > Integer.MAX_VALUE) {
            return null; // the driver keeps no binary for this program (allowed by the spec)
        }
        byte[] binary = new byte[(int) size[0]];
        // CL_PROGRAM_BINARIES takes an array of pointers, one per device, each to memory of the reported size.
        clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
    }

    /** Takes one use unless the program is retired; a true answer must be paired with {@link #endUse}. */
    synchronized boolean tryUse() {
        if (retired) {
            return false;
        }
        uses++;
        return true;
    }

    /** Ends one use; the last use of a retired program releases it. */
    synchronized void endUse() {
        uses--;
        if (retired && uses == 0) {
            releaseHandles();
        }
    }

    /** Accepts no new use, and releases the handles now or when the last use ends; idempotent. */
    synchronized void retire() {
        retired = true;
        if (uses == 0) {
            releaseHandles();
        }
    }

    /** True once the handles are released; for tests. */
    synchronized boolean isReleased() {
        return released;
    }

    /** The kernel called {@code name}, created on first use and kept for the program's life. */
    synchronized ClKernel kernel(String name) {
        if (released) {
            throw new IllegalStateException("program " + sourceName + " used after close()");
        }
        return kernels.computeIfAbsent(name, key -> {
            try {
                return new ClKernel(clCreateKernel(program, key, null), key);
            } catch (CLException e) {
                throw OpenClException.of(e, "creating kernel " + key + " from " + sourceName);
            }
        });
    }

    /** As {@link #retire}: the owner closing it never pulls a program from under a launch in progress. */
    @Override
    public void close() {
        retire();
    }

    @Override
    public String toString() {
        return "program " + sourceName;
    }

    private void releaseHandles() {
        if (released) {
            return;
        }
        released = true;
        kernels.values().forEach(ClKernel::release);
        kernels.clear();
        clReleaseProgram(program);
    }
}
