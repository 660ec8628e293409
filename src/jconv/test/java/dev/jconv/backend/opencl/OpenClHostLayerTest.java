package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DeviceInfo;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.TestDevices;
import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * The host layer on a real device: build failures carry the compiler's log, programs are cached, buffers are
 * counted and released, limits are checked before allocating, profiling reports kernel time, close is idempotent.
 * Each test opens its own backend so closing it cannot disturb other suites.
 */
class OpenClHostLayerTest {

    private static OpenClBackend openBackend(boolean profiling) {
        DeviceInfo info = TestDevices.openClOrSkip().info();
        return (OpenClBackend) OpenClDevices.open(info, profiling);
    }

    @Test
    void brokenKernelSourceRaisesKernelBuildExceptionWithTheLog() {
        try (OpenClBackend backend = openBackend(false)) {
            String broken = "__kernel void broken(__global float *out) { out[0] = undeclared_name; }";
            KernelBuildException failure = assertThrows(
                    KernelBuildException.class, () -> backend.buildProgram("broken.cl", broken, "-D UNUSED=1"));
            assertTrue(failure.buildLog().contains("undeclared_name"), failure.buildLog());
            assertEquals("CL_BUILD_PROGRAM_FAILURE", failure.errorName());
            assertTrue(
                    failure.getMessage().contains("broken.cl")
                            && failure.getMessage().contains("-D UNUSED=1"),
                    failure.getMessage());
            assertEquals(0, backend.programCount(), "a failed build must not be cached");
        }
    }

    @Test
    void programsAreBuiltOncePerSpecialisation() {
        try (OpenClBackend backend = openBackend(false)) {
            Conv2dConfig config = new Conv2dConfig(
                    new CommonConfig(4, 8, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                    Padding.of(1),
                    PaddingMode.ZEROS);
            runConv(backend, Conv2dGeometry.of(config, new int[] {1, 4, 10, 10}));
            runConv(backend, Conv2dGeometry.of(config, new int[] {3, 4, 10, 10})); // batch is not baked in
            runConv(backend, Conv2dGeometry.of(config, new int[] {1, 4, 12, 11})); // nor height and width
            assertEquals(1, backend.programCount());
            Conv2dConfig otherChannels = new Conv2dConfig(
                    new CommonConfig(4, 6, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                    Padding.of(1),
                    PaddingMode.ZEROS);
            runConv(backend, Conv2dGeometry.of(otherChannels, new int[] {1, 4, 10, 10}));
            assertEquals(2, backend.programCount());
        }
    }

    @Test
    void buffersAreCountedAndReleasedOnce() {
        try (OpenClBackend backend = openBackend(false)) {
            DeviceBuffer first = backend.upload(new float[] {1, 2, 3});
            DeviceBuffer second = backend.allocate(10);
            assertEquals(2, backend.liveBuffers());
            float[] back = new float[3];
            backend.download(first, back);
            assertArrayEquals(new float[] {1, 2, 3}, back);
            first.close();
            first.close();
            assertEquals(1, backend.liveBuffers());
            assertTrue(first.isClosed());
            assertThrows(IllegalStateException.class, () -> backend.download(first, back));
            backend.close();
            assertTrue(second.isClosed(), "closing the backend releases the buffers it still owns");
            assertEquals(0, backend.liveBuffers());
            assertDoesNotThrow(backend::close, "closing twice is harmless");
            assertThrows(IllegalStateException.class, () -> backend.allocate(1));
        }
    }

    @Test
    void closedBuffersAreReusedButNeverUsableThroughTheirOldHandle() {
        try (OpenClBackend backend = openBackend(false)) {
            DeviceBuffer first = backend.upload(new float[] {1, 2, 3});
            first.close();
            assertEquals(0, backend.liveBuffers(), "a pooled buffer is not a live one");
            assertEquals(1, backend.pool().counts().pooled());
            DeviceBuffer second = backend.upload(new float[] {4, 5, 6}); // same size: takes the pooled cl_mem
            assertEquals(1, backend.pool().counts().reuses());
            assertEquals(0, backend.pool().counts().pooled());
            assertEquals(1, backend.liveBuffers());
            float[] back = new float[3];
            assertThrows(
                    IllegalStateException.class,
                    () -> backend.download(first, back),
                    "the closed buffer must still refuse use though its memory lives on");
            backend.download(second, back);
            assertArrayEquals(new float[] {4, 5, 6}, back);
            DeviceBuffer other = backend.allocate(7); // another size: a new cl_mem
            assertEquals(1, backend.pool().counts().reuses());
            other.close();
            second.close();
            assertEquals(2, backend.pool().counts().pooled());
            assertEquals(0, backend.liveBuffers());
        }
    }

    @Test
    void allocationsBeyondTheDeviceLimitsFailWithTheSizes() {
        try (OpenClBackend backend = openBackend(false)) {
            long tooMany = backend.info().maxAllocation() / Float.BYTES + 1;
            IllegalArgumentException failure =
                    assertThrows(IllegalArgumentException.class, () -> backend.allocate(tooMany));
            assertTrue(
                    failure.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE")
                            && failure.getMessage()
                                    .contains(String.valueOf(backend.info().maxAllocation())),
                    failure.getMessage());
            assertEquals(0, backend.liveBuffers(), "a refused allocation leaves nothing behind");
        }
    }

    @Test
    void opsOnMismatchedBuffersFailBeforeReachingTheDriver() {
        try (OpenClBackend backend = openBackend(false)) {
            Conv2dConfig config = new Conv2dConfig(
                    new CommonConfig(2, 2, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, false),
                    Padding.of(0),
                    PaddingMode.ZEROS);
            Conv2dGeometry geometry = Conv2dGeometry.of(config, new int[] {1, 2, 5, 5});
            try (DeviceBuffer input = backend.allocate(10);
                    DeviceBuffer weight = backend.allocate(36);
                    DeviceBuffer output = backend.allocate(18)) {
                IllegalArgumentException failure = assertThrows(
                        IllegalArgumentException.class,
                        () -> backend.conv2d(geometry, new OpBuffers(input, weight, null, output)));
                assertTrue(failure.getMessage().contains(geometry.describe()), failure.getMessage());
            }
        }
    }

    @Test
    void profilingReportsKernelTimeAndPlainQueuesReportMinusOne() {
        Conv2dConfig config = new Conv2dConfig(
                new CommonConfig(16, 16, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                Padding.of(1),
                PaddingMode.ZEROS);
        Conv2dGeometry geometry = Conv2dGeometry.of(config, new int[] {1, 16, 32, 32});
        try (OpenClBackend plain = openBackend(false)) {
            runConv(plain, geometry);
            assertEquals(-1, plain.kernelNanos());
        }
        try (OpenClBackend profiled = openBackend(true)) {
            assertEquals(0, profiled.kernelNanos());
            runConv(profiled, geometry);
            long afterOne = profiled.kernelNanos();
            assertTrue(afterOne > 0, "kernel time after one op: " + afterOne);
            runConv(profiled, geometry);
            assertTrue(profiled.kernelNanos() > afterOne, "kernel time accumulates");
        }
    }

    /** Runs one conv2d with fresh buffers and waits for it; leaves no buffer behind. */
    private static void runConv(Backend backend, Conv2dGeometry geometry) {
        try (DeviceBuffer input = backend.upload(new float[(int) geometry.inputElements()]);
                DeviceBuffer weight = backend.upload(new float[(int) geometry.weightElements()]);
                DeviceBuffer bias = backend.upload(new float[geometry.outChannels()]);
                DeviceBuffer output = backend.allocate(geometry.outputElements())) {
            backend.conv2d(geometry, new OpBuffers(input, weight, bias, output));
            backend.finish();
        }
    }
}
