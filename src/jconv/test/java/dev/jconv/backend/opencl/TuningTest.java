package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.ConvTranspose2d;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * The tuning row override (jconv.tuning / JCONV_TUNING): which row a device uses, how a bad value is reported, and
 * why it exists: the CPU-only direct sub-kernels are reached on a GPU (Oclgrind) only through it. Needs no device.
 */
class TuningTest {

    private static final DeviceInfo SIMULATED_GPU = new DeviceInfo(
            "opencl:0",
            "Oclgrind Simulator",
            "Oclgrind",
            "Oclgrind",
            DeviceType.GPU,
            1,
            128L << 20,
            128L << 20,
            "OpenCL 1.2 (Oclgrind 21.10)");

    @Test
    void aDeviceUsesItsOwnTypesRowUnlessAnotherIsNamed() {
        assertEquals(DeviceType.GPU, Tuning.rowType(DeviceType.GPU, null, null));
        assertEquals(DeviceType.GPU, Tuning.rowType(DeviceType.GPU, " ", ""));
        assertEquals(DeviceType.CPU, Tuning.rowType(DeviceType.GPU, null, "cpu"));
        assertEquals(DeviceType.CPU, Tuning.rowType(DeviceType.GPU, " CPU ", null));
        assertEquals(DeviceType.ACCELERATOR, Tuning.rowType(DeviceType.CPU, "accelerator", null));
        // The system property wins over the environment variable, as for jconv.kernel / JCONV_KERNEL.
        assertEquals(DeviceType.GPU, Tuning.rowType(DeviceType.CPU, "gpu", "cpu"));
    }

    @Test
    void aValueThatNamesNoRowIsAnErrorNamingTheSetting() {
        IllegalArgumentException fromEnvironment =
                assertThrows(IllegalArgumentException.class, () -> Tuning.rowType(DeviceType.GPU, null, "cpus"));
        assertEquals(
                "environment variable JCONV_TUNING must be cpu, gpu, accelerator or other, but got 'cpus'",
                fromEnvironment.getMessage());
        IllegalArgumentException java =
                assertThrows(IllegalArgumentException.class, () -> Tuning.rowType(DeviceType.GPU, "java", null));
        assertTrue(java.getMessage().startsWith("system property jconv.tuning must be"), java.getMessage());
    }

    @Test
    void theSystemPropertySelectsTheRowOfTheBackend() {
        assertSame(Tuning.forType(DeviceType.GPU), Tuning.forDevice(SIMULATED_GPU));
        System.setProperty(Tuning.PROPERTY, "cpu");
        try {
            assertSame(Tuning.forType(DeviceType.CPU), Tuning.forDevice(SIMULATED_GPU));
        } finally {
            System.clearProperty(Tuning.PROPERTY);
        }
    }

    @Test
    void theCpuOnlySubKernelsAreReachedOnAGpuOnlyWithTheCpuRow() {
        // Rows of at most 8 outputs: conv2d_row_pairs needs 16-lane vectors.
        Conv2dGeometry shortRows = geometry(4, 8, 3, 1, new int[] {1, 4, 6, 6});
        // A 1x1 convolution over 420 pixels: conv2d_pointwise needs 16-lane vectors and at least 384 pixels.
        Conv2dGeometry longRows = geometry(3, 6, 1, 0, new int[] {1, 3, 20, 21});
        Tuning gpu = Tuning.forType(DeviceType.GPU);
        Tuning cpu = Tuning.forType(DeviceType.CPU);
        assertEquals("conv2d", Conv2dPlan.of(shortRows, gpu).kernelName());
        assertEquals("conv2d", Conv2dPlan.of(longRows, gpu).kernelName());
        assertEquals("conv2d_row_pairs", Conv2dPlan.of(shortRows, cpu).kernelName());
        assertEquals("conv2d_pointwise", Conv2dPlan.of(longRows, cpu).kernelName());
    }

    @Test
    void jointRowsNeedStrideOneAndSixteenInputChannelsPerGroup() {
        Tuning cpu = Tuning.forType(DeviceType.CPU);
        assertEquals(2, cpu.jointVectors());
        assertEquals(
                "conv2d_joint_rows",
                Conv2dPlan.of(geometry(16, 8, 3, 1, new int[] {1, 16, 9, 20}), cpu)
                        .kernelName());
        // 12 channels x 2 rows at most: a 64-channel layer gets the largest divisor, 8.
        KernelLaunch resnet = Conv2dPlan.of(geometry(64, 64, 3, 1, new int[] {1, 64, 56, 56}), cpu);
        assertTrue(resnet.options().contains("-D OC_TILE=8 "), resnet.options());
        assertTrue(resnet.options().contains("-D JOINT_ROWS=2 "), resnet.options());
        assertEquals(
                "conv2d",
                Conv2dPlan.of(geometry(8, 8, 3, 1, new int[] {1, 8, 9, 20}), cpu)
                        .kernelName());
        assertEquals(
                "conv2d",
                Conv2dPlan.of(geometry(16, 8, 3, 1, new int[] {1, 16, 9, 20}), Tuning.forType(DeviceType.GPU))
                        .kernelName());
    }

    @Test
    void aPhasePlaneOfOneVectorJoinsImagesAndNeverMoreThanTheBatch() {
        Tuning cpu = Tuning.forType(DeviceType.CPU);
        try (ConvTranspose2d dcgan =
                ConvTranspose2d.builder(64, 32, 4).stride(2).padding(1).build()) {
            // 4x4 input: each of the 4 phase planes is one 16-lane vector, so JV=2 takes two images per work-item.
            KernelLaunch batch16 = ConvTranspose2dPlan.of(dcgan.geometry(16, 64, 4, 4), cpu);
            assertTrue(batch16.options().contains("-D JOINT_IMAGES=1"), batch16.options());
            assertTrue(batch16.options().contains("-D JOINT_VECTORS=2 "), batch16.options());
            assertEquals(8 * 4 * 4, batch16.global()[0] * batch16.global()[1] * batch16.global()[2]);
            // One image: nothing to join, and no vector is computed twice.
            KernelLaunch single = ConvTranspose2dPlan.of(dcgan.geometry(1, 64, 4, 4), cpu);
            assertTrue(single.options().contains("-D JOINT_IMAGES=0"), single.options());
            assertTrue(single.options().contains("-D JOINT_VECTORS=1 "), single.options());
            // 8x8 input: planes of four vectors, which the work-items share out as before.
            KernelLaunch larger = ConvTranspose2dPlan.of(dcgan.geometry(16, 64, 8, 8), cpu);
            assertTrue(larger.options().contains("-D JOINT_IMAGES=0"), larger.options());
            assertTrue(larger.options().contains("-D JOINT_VECTORS=2 "), larger.options());
        }
    }

    private static Conv2dGeometry geometry(int in, int out, int kernel, int padding, int[] inputShape) {
        return Conv2dGeometry.of(
                new Conv2dConfig(
                        new CommonConfig(in, out, IntPair.of(kernel), IntPair.of(1), IntPair.of(1), 1, true),
                        Padding.of(padding),
                        PaddingMode.ZEROS),
                inputShape);
    }
}
