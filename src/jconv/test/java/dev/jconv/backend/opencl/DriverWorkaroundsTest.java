package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Conv2d;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.TestDevices;
import dev.jconv.geometry.Conv2dGeometry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background binary store takes a program's binary while its kernels may run, which aborts PoCL's CPU driver for
 * kernels that declare their work-group size ({@link DriverWorkarounds}). The abort itself is a race that a test cannot
 * hit on demand through jconv (a bare JOCL loop does: scripts/PoclBinaryAbort.java), so these tests check the rule that
 * rules it out: which devices get the declaration, and that the GEMM kernel built on this device has it exactly then.
 */
class DriverWorkaroundsTest {

    @TempDir
    Path cache;

    private static DeviceInfo device(String platform, DeviceType type) {
        return new DeviceInfo("opencl:0", "some device", "some vendor", platform, type, 8, 1L << 30, 1L << 28, "3.0");
    }

    @Test
    void onlyPoclsCpuDriverBuildsWithoutDeclaredWorkGroupSizes() {
        assertEquals("", DriverWorkarounds.buildOptions(device("Portable Computing Language", DeviceType.CPU)));
        for (DeviceInfo other : new DeviceInfo[] {
            device("NVIDIA CUDA", DeviceType.GPU),
            device("Oclgrind", DeviceType.GPU),
            device("Intel(R) OpenCL", DeviceType.CPU),
            device("Portable Computing Language", DeviceType.GPU)
        }) {
            assertEquals(" -D DECLARE_WORK_GROUP_SIZE=1", DriverWorkarounds.buildOptions(other), other.platform());
        }
    }

    @Test
    void theGemmKernelOnThisDeviceDeclaresItsWorkGroupSizeExactlyWhenTheRuleSays() {
        DeviceInfo info = TestDevices.openClOrSkip().info();
        Conv2dGeometry geometry = Conv2d.builder(2, 4, 3).padding(1).build().geometry(new int[] {1, 2, 6, 6});
        GemmParameters parameters = new GemmParameters(16, 16, 8, 4, 8, false, false);
        KernelLaunch launch = GemmPlan.of(geometry, parameters);
        try (OpenClBackend backend = OpenClDevices.open(info, false, cache);
                ProgramCache.Lease lease = backend.programs().acquire(launch.sourceName(), launch.options())) {
            long[] declared = lease.program()
                    .kernel(GemmPlan.KERNEL)
                    .declaredWorkGroupSize(backend.queue().device());
            boolean declares = !DriverWorkarounds.buildOptions(info).isEmpty();
            assertArrayEquals(declares ? new long[] {8, 4, 1} : new long[] {0, 0, 0}, declared, info.summary());
        }
    }
}
