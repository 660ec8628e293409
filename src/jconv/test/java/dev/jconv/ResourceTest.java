package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * 10,000 forward calls, host and device-resident: device buffers return to where they started once the module is
 * closed, and the heap stays flat.
 */
class ResourceTest {

    private static final int CALLS = 10_000;

    @TestFactory
    Stream<DynamicTest> tenThousandCallsLeakNothing() {
        return TestDevices.onEachDevice(ResourceTest::run);
    }

    private static void run(Device device) throws InterruptedException {
        long buffersBefore = TestDevices.settledLiveBuffers(device);
        Tensor x = Comparison.randomTensor(7, 1, 3, 6, 6);
        long heapAtOneTenth = 0;
        try (Conv2d conv = Conv2d.builder(3, 4, 3).padding(1).device(device).build();
                ConvTranspose2d up = ConvTranspose2d.builder(4, 3, 2)
                        .stride(2)
                        .device(device)
                        .build();
                Tensor onDevice = x.to(device)) {
            for (int call = 0; call < CALLS; call++) {
                if (call % 2 == 0) {
                    up.forward(conv.forward(x));
                } else {
                    try (Tensor hidden = conv.forward(onDevice);
                            Tensor y = up.forward(hidden)) {
                        assertEquals(12, y.size(2));
                    }
                }
                if (call == CALLS / 10) {
                    heapAtOneTenth = usedHeapAfterGc();
                }
            }
            device.synchronize();
        }
        long growth = usedHeapAfterGc() - heapAtOneTenth;
        assertTrue(growth < 16L << 20, "heap grew by " + growth + " bytes over " + CALLS * 9 / 10 + " calls");
        assertEquals(buffersBefore, device.backend().liveBuffers(), "live device buffers after closing everything");
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
