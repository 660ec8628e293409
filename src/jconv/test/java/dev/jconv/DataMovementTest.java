package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The module's data movement on a device with chosen limits: batches split to fit, one image too large is a clear
 * error, failures leak nothing and return nothing half-written, and closed things refuse use.
 */
class DataMovementTest {

    @Test
    void aBatchTooLargeForOneBufferRunsInSlicesWithTheSameResult() {
        // One 3x8x8 image is 768 bytes in and (4x8x8) 1024 bytes out: a 2100-byte buffer limit fits two at a time.
        Device small = RecordingBackend.device(2100, 1 << 30);
        RecordingBackend backend = (RecordingBackend) small.backend();
        Conv2d onJava = Conv2d.builder(3, 4, 3).padding(1).device(Device.java()).build();
        Conv2d onSmall = new Conv2d(onJava.config(), small);
        onSmall.setWeight(onJava.weight());
        onSmall.setBias(onJava.bias());
        Tensor x = Comparison.randomTensor(1, 5, 3, 8, 8);
        assertArrayEquals(onJava.forward(x).toArray(), onSmall.forward(x).toArray());
        assertEquals(3, backend.launches.get(), "5 images in slices of 2");
        onSmall.close();
        assertEquals(0, backend.liveBuffers());
    }

    @Test
    void aBatchTooLargeForDeviceMemoryIsSlicedToo() {
        ConvTranspose2d onJava = ConvTranspose2d.builder(2, 2, 4)
                .stride(2)
                .padding(1)
                .device(Device.java())
                .build();
        // Per image: 2x6x6 in (288 B) + 2x12x12 out (1152 B); half of 6000 B, less 136 B of parameters, fits 1.
        Device small = RecordingBackend.device(1 << 20, 6000);
        RecordingBackend backend = (RecordingBackend) small.backend();
        ConvTranspose2d onSmall = new ConvTranspose2d(onJava.config(), small);
        onSmall.setWeight(onJava.weight());
        onSmall.setBias(onJava.bias());
        Tensor x = Comparison.randomTensor(2, 3, 2, 6, 6);
        assertArrayEquals(onJava.forward(x).toArray(), onSmall.forward(x).toArray());
        assertEquals(3, backend.launches.get());
    }

    @Test
    void oneImageThatCannotFitIsAClearErrorWithTheSizes() {
        Device tiny = RecordingBackend.device(512, 1 << 30);
        Conv2d conv = new Conv2d(Conv2d.builder(3, 4, 3).device(tiny).build().config(), tiny);
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> conv.forward(Comparison.randomTensor(3, 1, 3, 16, 16)));
        assertTrue(error.getMessage().contains("one image does not fit device opencl:test"), error.getMessage());
        assertTrue(error.getMessage().contains("3072 bytes"), error.getMessage());
    }

    @Test
    void aFailedLaunchLeaksNothingAndReturnsNoOutput() {
        Device device = RecordingBackend.device(1 << 20, 1 << 30);
        RecordingBackend backend = (RecordingBackend) device.backend();
        Conv2d conv = Conv2d.builder(2, 2, 3).device(device).build();
        Tensor x = Comparison.randomTensor(4, 1, 2, 5, 5);
        Tensor onDevice = x.to(device);
        conv.forward(onDevice).close(); // parameters now uploaded: 2 buffers, plus the input
        long baseline = backend.liveBuffers();
        backend.failLaunches = true;
        assertThrows(IllegalStateException.class, () -> conv.forward(x));
        assertThrows(IllegalStateException.class, () -> conv.forward(onDevice));
        assertEquals(baseline, backend.liveBuffers(), "temporaries and outputs of failed ops are released");
        backend.failLaunches = false;
        assertEquals(3, conv.forward(onDevice).shape()[2]);
        onDevice.close();
        conv.close();
    }

    @Test
    void deviceTensorsDroppedWithoutCloseAreFreedByTheGarbageCollector() throws InterruptedException {
        Device device = RecordingBackend.device(1 << 20, 1 << 30);
        RecordingBackend backend = (RecordingBackend) device.backend();
        try (Conv2d down = Conv2d.builder(2, 4, 3).padding(1).device(device).build();
                Conv2d back = Conv2d.builder(4, 2, 3).padding(1).device(device).build();
                Tensor x = Comparison.randomTensor(6, 1, 2, 8, 8).to(device)) {
            for (int i = 0; i < 50; i++) {
                back.forward(down.forward(x)); // neither the intermediate nor the result is closed
            }
            long parametersAndInput = 4 + 1;
            for (int attempt = 0; attempt < 100 && backend.liveBuffers() > parametersAndInput; attempt++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(parametersAndInput, backend.liveBuffers(), "unreachable device tensors are freed");
        }
    }

    @Test
    void closedThingsRefuseUseAndCloseTwiceIsHarmless() {
        Device device = RecordingBackend.device(1 << 20, 1 << 30);
        Conv2d conv = Conv2d.builder(2, 2, 1).device(device).build();
        Tensor x = Comparison.randomTensor(5, 1, 2, 3, 3);
        Tensor onDevice = x.to(device);
        conv.close();
        conv.close();
        assertThrows(IllegalStateException.class, () -> conv.forward(x));
        assertThrows(IllegalStateException.class, () -> conv.setWeight(Tensor.zeros(2, 2, 1, 1)));
        onDevice.close();
        onDevice.close();
        assertThrows(IllegalStateException.class, onDevice::toArray);
        device.close();
        device.close();
        assertThrows(IllegalStateException.class, () -> x.to(device));
    }

    @Test
    void parameterShapesAreChecked() {
        Conv2d conv = Conv2d.builder(4, 6, 3).groups(2).device(Device.java()).build();
        IllegalArgumentException weight =
                assertThrows(IllegalArgumentException.class, () -> conv.setWeight(Tensor.zeros(6, 4, 3, 3)));
        assertTrue(
                weight.getMessage().contains("must have shape [6, 2, 3, 3], but got [6, 4, 3, 3]"),
                weight.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.setBias(Tensor.zeros(1)));
        Conv2d noBias =
                Conv2d.builder(4, 6, 3).bias(false).device(Device.java()).build();
        assertThrows(IllegalArgumentException.class, () -> noBias.setBias(Tensor.zeros(6)));
        ConvTranspose2d up =
                ConvTranspose2d.builder(4, 6, 3).groups(2).device(Device.java()).build();
        assertArrayEquals(new int[] {4, 3, 3, 3}, up.weight().shape());
        assertArrayEquals(new int[] {6}, up.bias().shape());
    }

    @Test
    void defaultInitialisationFollowsPyTorchsBound() {
        Conv2d conv = Conv2d.builder(8, 16, 3).device(Device.java()).build();
        double bound = 1 / Math.sqrt(8 * 9);
        for (float value : conv.weight().toArray()) {
            assertTrue(Math.abs(value) <= bound, "weight " + value + " outside +-" + bound);
        }
        for (float value : conv.bias().toArray()) {
            assertTrue(Math.abs(value) <= bound);
        }
    }
}
