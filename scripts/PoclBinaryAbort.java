// Shows the PoCL CPU-driver abort that DriverWorkarounds avoids, without jconv: one thread launches a small kernel at
// several grid widths while another takes the program's binary (CL_PROGRAM_BINARIES), as jconv's background binary
// store does. With the kernel declaring reqd_work_group_size, PoCL 3.1 aborts in pocl_release_dlhandle_cache
// (Assertion found->ref_count > 0) within a few rounds; without it, every round ends.
//   java -cp ~/.m2/repository/org/jocl/jocl/2.0.5/jocl-2.0.5.jar scripts/PoclBinaryAbort.java declared|plain [ROUNDS]
// Exit 0 and "N rounds, no abort" when the driver survives; an abort ends the JVM with the assertion on stderr.
import static org.jocl.CL.*;

import org.jocl.*;

public class PoclBinaryAbort {
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("declared") || args[0].equals("plain"))) {
            System.err.println("usage: PoclBinaryAbort.java declared|plain [ROUNDS]");
            System.exit(2);
        }
        String attribute = args[0].equals("declared") ? "__attribute__((reqd_work_group_size(4, 4, 1)))" : "";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        setExceptionsEnabled(true);
        cl_platform_id[] platform = new cl_platform_id[1];
        clGetPlatformIDs(1, platform, null);
        cl_device_id[] device = new cl_device_id[1];
        clGetDeviceIDs(platform[0], CL_DEVICE_TYPE_ALL, 1, device, null);
        cl_context context = clCreateContext(null, 1, device, null, null, null);
        cl_command_queue queue = clCreateCommandQueueWithProperties(context, device[0], null, null);
        cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, 4L * 512 * 64, null, null);
        for (int round = 1; round <= rounds; round++) {
            // A program of its own each round (the define changes nothing but the build).
            String source = "__kernel " + attribute + " void halve(__global float *x, int n) {"
                    + " int i = get_global_id(1) * get_global_size(0) + get_global_id(0);"
                    + " if (i < n) x[i] = x[i] * 0.5f; }";
            cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            clBuildProgram(program, 0, null, "-D ROUND=" + round, null, null);
            cl_kernel kernel = clCreateKernel(program, "halve", null);
            clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(buffer));
            clSetKernelArg(kernel, 1, Sizeof.cl_int, Pointer.to(new int[] {512 * 64}));
            Thread store = new Thread(() -> {
                long[] size = new long[1];
                clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
                byte[] binary = new byte[(int) size[0]];
                clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
            });
            store.start();
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                for (int width = 4; width <= 512; width *= 2) {
                    clEnqueueNDRangeKernel(queue, kernel, 2, null, new long[] {width, 64}, new long[] {4, 4}, 0, null, null);
                }
                clFinish(queue);
            }
            store.join();
            clReleaseKernel(kernel);
            clReleaseProgram(program);
        }
        System.out.println(rounds + " rounds, no abort");
    }
}
