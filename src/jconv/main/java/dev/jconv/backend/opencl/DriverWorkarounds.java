package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;

/**
 * What jconv builds differently for one OpenCL driver, and why; the one place that tells PoCL's CPU driver apart.
 *
 * <p>PoCL 3.1's CPU driver aborts the whole process ({@code common.c:909 pocl_release_dlhandle_cache: Assertion
 * found->ref_count > 0}) when a program's binary is taken ({@code CL_PROGRAM_BINARIES}, which compiles its work-group
 * functions once more) while a kernel of that program runs, if the kernel declares {@code reqd_work_group_size}. Our
 * reading of its {@code common.c}: the binary's work-group function is then compiled for the declared size and lands in
 * the table of loaded functions that the running launch uses, which PoCL releases by kernel and work-group size alone
 * (README, Start-up, has the same table's other trap); without the attribute it is compiled for size 0, which no launch
 * uses. The background binary store does exactly this overlap (CI aborted once in a fault-injection test right after a
 * GEMM program was built). {@code scripts/PoclBinaryAbort.java} shows it with JOCL alone: a 4x4 kernel launched at
 * eight grid widths while another thread takes its binary aborted 5 runs of 5 (8 rounds each) with the attribute and 0
 * of 5 without it (2026-11-30). So on PoCL's CPU driver no kernel declares its work-group size; elsewhere the GEMM
 * kernel keeps it (a GPU compiler can budget registers for the known size).
 */
final class DriverWorkarounds {

    private static final String POCL_PLATFORM = "Portable Computing Language";

    private DriverWorkarounds() {}

    /** PoCL's CPU driver (pthread or basic), whose work-group functions are loaded into this process. */
    static boolean poclCpu(DeviceInfo info) {
        return info.type() == DeviceType.CPU && info.platform().contains(POCL_PLATFORM);
    }

    /** The build options every program on this device gets, after its own. */
    static String buildOptions(DeviceInfo info) {
        return poclCpu(info) ? "" : " -D DECLARE_WORK_GROUP_SIZE=1";
    }
}
