package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jconv.backend.DeviceBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClKernel} sets only the arguments that changed since its last enqueue: every launch, whichever subset of its
 * buffers and ints changed, must still see all of its own arguments, never one left from the launch before.
 */
class ClKernelArgumentsTest {

    private static final String SOURCE = "__kernel void addScaled(__global float *x, __global const float *y,"
            + " const int scale) { x[GUARD + get_global_id(0)] += scale * y[GUARD + get_global_id(0)]; }";

    @RegisterExtension
    final FreshOpenClDevice fresh = new FreshOpenClDevice();

    @Test
    void everyLaunchSeesItsOwnArgumentsWhicheverChanged() {
        OpenClBackend backend = (OpenClBackend) fresh.device().backend();
        ProgramCache programs = backend.programs();
        float[][] host = {{1, 2, 3}, {10, 20, 30}, {100, 200, 300}};
        DeviceBuffer[] device = new DeviceBuffer[host.length];
        for (int i = 0; i < host.length; i++) {
            device[i] = backend.upload(host[i]);
        }
        // (x, y, scale) per launch: the same again, then one argument changed at a time, then all of them.
        int[][] launches = {{0, 1, 1}, {0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {1, 2, 3}, {2, 0, 3}, {0, 1, -1}, {0, 1, -1}};
        try (ProgramCache.Lease lease =
                programs.acquire("add_scaled.cl", SOURCE, "-D GUARD=" + ClBuffer.GUARD_FLOATS)) {
            ClKernel kernel = lease.program().kernel("addScaled");
            for (int[] launch : launches) {
                int x = launch[0];
                int y = launch[1];
                int scale = launch[2];
                kernel.enqueue(
                        backend.queue(),
                        new ClBuffer[] {(ClBuffer) device[x], (ClBuffer) device[y]},
                        new int[] {scale},
                        0,
                        new long[] {3},
                        null,
                        null,
                        () -> "addScaled");
                for (int i = 0; i < 3; i++) {
                    host[x][i] += scale * host[y][i];
                }
                for (int b = 0; b < host.length; b++) {
                    float[] back = new float[3];
                    backend.download(device[b], back);
                    assertArrayEquals(
                            host[b], back, "buffer " + b + " after launch " + java.util.Arrays.toString(launch));
                }
            }
        } finally {
            for (DeviceBuffer buffer : device) {
                buffer.close();
            }
        }
    }
}
