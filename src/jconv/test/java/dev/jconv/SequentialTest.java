package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Sequential: what it fuses, that fused and unfused runs agree within 1e-5 on every device (and each device with
 * the Java backend within 1e-4), that intermediates never outlive a forward, and PyTorch's errors with the layer named.
 */
class SequentialTest {

    private static final double FUSED_TOLERANCE = 1e-5;
    private static final double TOLERANCE = 1e-4;

    /** A small DCGAN-style generator block stack: every fusion pattern once, plus a standalone BatchNorm. */
    private static List<Layer> generatorLayers() {
        ConvTranspose2d up = ConvTranspose2d.builder(8, 6, 4)
                .stride(2)
                .padding(1)
                .bias(false)
                .build();
        ConvTranspose2d up2 =
                ConvTranspose2d.builder(6, 4, 4).stride(2).padding(1).build();
        Conv2d head =
                Conv2d.builder(4, 3, 3).padding(1).paddingMode("replicate").build();
        return List.of(
                up,
                randomBatchNorm(6, 21),
                new ActivationLayer(Activation.RELU),
                up2,
                new ActivationLayer(Activation.leakyRelu(0.2f)),
                new Identity(),
                randomBatchNorm(4, 22),
                new ActivationLayer(Activation.SILU),
                head,
                randomBatchNorm(3, 23),
                new ActivationLayer(Activation.TANH));
    }

    static BatchNorm2d randomBatchNorm(int channels, long seed) {
        BatchNorm2d batchNorm = new BatchNorm2d(channels);
        batchNorm.setWeight(Comparison.randomTensor(seed, channels));
        batchNorm.setBias(Comparison.randomTensor(seed + 1, channels));
        batchNorm.setRunningMean(Comparison.randomTensor(seed + 2, channels));
        float[] variance = Comparison.randomTensor(seed + 3, channels).toArray();
        for (int i = 0; i < channels; i++) {
            variance[i] = 0.25f + variance[i] * variance[i];
        }
        batchNorm.setRunningVar(Tensor.of(variance, channels));
        return batchNorm;
    }

    @Test
    void fusesConvBatchNormActivationAndBatchNormActivation() {
        try (Sequential net = Sequential.of(generatorLayers())) {
            List<Layer> steps = net.layers();
            assertEquals(4, steps.size(), net.toString());
            assertEquals(Activation.RELU, ((ConvModule<?, ?>) steps.get(0)).activation());
            assertTrue(((ConvModule<?, ?>) steps.get(0)).bias() != null, "a folded BatchNorm gives the conv a bias");
            assertEquals(Activation.leakyRelu(0.2f), ((ConvModule<?, ?>) steps.get(1)).activation());
            assertEquals(
                    Activation.SILU,
                    assertInstanceOf(BatchNorm2d.class, steps.get(2)).activation());
            assertEquals(Activation.TANH, ((ConvModule<?, ?>) steps.get(3)).activation());
        }
    }

    @TestFactory
    Stream<DynamicTest> fusedMatchesUnfusedOnEveryDevice() {
        return TestDevices.onEachDevice(device -> {
            List<Layer> layers = generatorLayers();
            Tensor input = Comparison.randomTensor(31, 2, 8, 5, 6);
            Tensor reference;
            try (Sequential javaUnfused =
                    Sequential.unfused(layers.toArray(Layer[]::new)).to(Device.java())) {
                reference = javaUnfused.forward(input);
                Sequential unfused =
                        Sequential.unfused(layers.toArray(Layer[]::new)).to(device);
                Tensor plain = unfused.forward(input);
                Sequential fused = Sequential.of(layers).to(device);
                Tensor result = fused.forward(input);
                assertEquals(List.of(2, 3, 20, 24), List.of(2, result.size(1), result.size(2), result.size(3)));
                assertTrue(result.isHost(), "a host input gives a host output");
                Comparison.assertClose(plain, result, FUSED_TOLERANCE, "fused against unfused on " + device);
                Comparison.assertClose(reference, result, TOLERANCE, "fused on " + device + " against Java");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> deviceInputStaysOnTheDevice() {
        return TestDevices.onEachDevice(device -> {
            try (Sequential net = Sequential.of(generatorLayers());
                    Tensor input = Comparison.randomTensor(32, 1, 8, 4, 4).to(device);
                    Tensor output = net.forward(input)) {
                assertEquals(device, output.device());
                assertEquals(false, input.isClosed(), "the caller's input must stay open");
                Comparison.assertClose(
                        net.to(Device.java()).forward(input.cpu()),
                        output,
                        TOLERANCE,
                        "device-resident run on " + device);
            }
        });
    }

    /** 10,000 forwards of a host input: every intermediate and transfer buffer is released. */
    @TestFactory
    Stream<DynamicTest> tenThousandForwardsLeaveNoBufferBehind() {
        return TestDevices.onEachDevice(device -> {
            long before = TestDevices.settledLiveBuffers(device);
            try (Sequential net = Sequential.of(generatorLayers()).to(device)) {
                Tensor input = Comparison.randomTensor(33, 1, 8, 2, 2);
                float[] first = net.forward(input).toArray();
                for (int i = 0; i < 10_000; i++) {
                    net.forward(input);
                }
                assertEquals(first.length, net.forward(input).toArray().length);
                // Only parameters stay while the net is open: weight and bias of 3 convs, scale and shift of 1
                // BatchNorm.
                long parameters = device.isJava() ? 0 : 8;
                assertEquals(
                        before + parameters,
                        device.backend().liveBuffers(),
                        "live buffers on " + device + " while the net is open");
            }
            assertEquals(before, device.backend().liveBuffers(), "live buffers on " + device + " after close()");
        });
    }

    /** Parameters go up once; after that each forward is one upload, the fused launches and one download. */
    @Test
    void oneUploadAndOneDownloadPerForward() {
        Device device = RecordingBackend.device(1L << 30, 1L << 32);
        RecordingBackend backend = (RecordingBackend) device.backend();
        try (Sequential net = Sequential.of(generatorLayers()).to(device)) {
            Tensor input = Comparison.randomTensor(34, 2, 8, 3, 3);
            Tensor first = net.forward(input);
            int uploads = backend.uploads.get();
            int downloads = backend.downloads.get();
            int launches = backend.launches.get();
            int live = backend.live.get();
            Tensor second = net.forward(input);
            assertEquals(uploads + 1, backend.uploads.get(), "uploads per forward");
            assertEquals(downloads + 1, backend.downloads.get(), "downloads per forward");
            assertEquals(launches + 4, backend.launches.get(), "one launch per fused step");
            assertEquals(live, backend.live.get(), "intermediates freed");
            Comparison.assertClose(first, second, 0, "the same input twice");
        }
        assertEquals(0, backend.live.get(), "parameters freed by close()");
    }

    @Test
    void batchNormNeedsFourDimensionsAsInPyTorch() {
        try (Sequential net = Sequential.of(generatorLayers())) {
            IllegalArgumentException error = assertThrows(
                    IllegalArgumentException.class, () -> net.forward(Comparison.randomTensor(1, 8, 4, 4)));
            assertEquals(
                    "layer 1 (BatchNorm2d(6, eps=1e-05, affine=True)): expected 4D input (got 3D input)",
                    error.getMessage());
        }
        try (BatchNorm2d batchNorm = new BatchNorm2d(4)) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> batchNorm.forward(Tensor.zeros(1, 3, 2, 2)));
            assertEquals("running_mean should contain 3 elements not 4", error.getMessage());
        }
    }

    @Test
    void aLayerThatDoesNotFitIsNamedByIndex() {
        try (Sequential net = Sequential.of(new ActivationLayer(Activation.RELU), new Conv2d(3, 4, 3))) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 5, 8, 8)));
            assertTrue(
                    error.getMessage()
                            .startsWith("layer 1 (Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1))):"
                                    + " Given groups=1, weight of size [4, 3, 3, 3], expected input[1,"
                                    + " 5, 8, 8] to have 3 channels"),
                    error.getMessage());
        }
    }
}
