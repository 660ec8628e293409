package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Three layers run on device-resident tensors (one upload, ops queued back to back, one download) give what the same
 * layers give on the host path, where every layer round-trips through the Java heap.
 */
class DeviceChainTest {

    @Test
    void threeLayersOnTheDeviceEqualTheHostPath() throws InterruptedException {
        Device device = TestDevices.openClOrSkip();
        long buffersBefore = TestDevices.settledLiveBuffers(device);
        try (Conv2d first = Conv2d.builder(3, 8, 3)
                        .padding(Padding.SAME)
                        .paddingMode(PaddingMode.REFLECT)
                        .device(Device.java())
                        .build();
                ConvTranspose2d second = ConvTranspose2d.builder(8, 6, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                Conv2d third = Conv2d.builder(6, 4, 3)
                        .stride(2)
                        .groups(2)
                        .dilation(2)
                        .padding(2)
                        .device(Device.java())
                        .build()) {
            Tensor input = Comparison.randomTensor(7, 2, 3, 13, 11);

            Tensor hostResult = third.forward(second.forward(first.forward(input)));

            Tensor onDevice = input.to(device);
            Tensor a = first.forward(onDevice);
            Tensor b = second.forward(a);
            Tensor c = third.forward(b);
            assertFalse(c.isHost(), "a device-resident input keeps its output on the device");
            assertEquals(device, c.device());
            Comparison.assertClose(hostResult, c.cpu(), 1e-4, "three-layer chain on " + device.id());

            for (Tensor t : new Tensor[] {onDevice, a, b, c}) {
                t.close();
                assertTrue(t.isClosed());
            }
        }
        // The modules' uploaded parameters were released by close() too.
        assertEquals(buffersBefore, device.backend().liveBuffers(), "OpenCL buffers leaked by the chain");
    }
}
