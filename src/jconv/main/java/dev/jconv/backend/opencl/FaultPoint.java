package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_BUILD_PROGRAM_FAILURE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The OpenCL calls that fault injection ({@link Faults}) can make fail, each with the error a real driver most often
 * returns there.
 */
enum FaultPoint {
    /** clCreateBuffer (an allocation the buffer pool could not serve). */
    ALLOC(CL_MEM_OBJECT_ALLOCATION_FAILURE),
    /** clEnqueueWriteBuffer of an upload. */
    WRITE(CL_OUT_OF_RESOURCES),
    /** clBuildProgram of a kernel specialisation. */
    BUILD(CL_BUILD_PROGRAM_FAILURE),
    /** clEnqueueNDRangeKernel of an op. */
    KERNEL(CL_OUT_OF_RESOURCES),
    /** clEnqueueReadBuffer of a download. */
    READ(CL_OUT_OF_RESOURCES),
    /** clFinish. */
    FINISH(CL_OUT_OF_RESOURCES);

    private final int defaultStatus;

    FaultPoint(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    /** The status an entry without CODE returns. */
    int defaultStatus() {
        return defaultStatus;
    }

    /** The word used in a fault spec, e.g. {@code alloc}. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The point named {@code word} (lower case, as {@link #word} spells it), or null. */
    static FaultPoint of(String word) {
        return Arrays.stream(values())
                .filter(point -> point.word().equals(word))
                .findFirst()
                .orElse(null);
    }

    /** {@code alloc, write, build, kernel, read, finish}, for error messages. */
    static String words() {
        return Arrays.stream(values()).map(FaultPoint::word).collect(Collectors.joining(", "));
    }
}
