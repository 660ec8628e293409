package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Activation;
import dev.jconv.ActivationLayer;
import dev.jconv.BatchNorm2d;
import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Identity;
import dev.jconv.Layer;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code prepare(inputShape)} builds every program a forward of that shape needs, so the forward builds nothing:
 * counted by the device's program cache, on a device opened afresh (its memory cache empty) for each test. Also:
 * prepare returns forward's output shape, checks the input as forward does, and does nothing on the Java device.
 */
class PrepareTest {

    private static final double TOLERANCE = 1e-4;

    @RegisterExtension
    final FreshOpenClDevice fresh = new FreshOpenClDevice();

    private Device device;

    @BeforeEach
    void useTheFreshDevice() {
        device = fresh.device();
    }

    private ProgramCounts counts() {
        return ProgramCounts.of(device.backend());
    }

    @Test
    void afterPrepareAConvolutionsForwardBuildsNothing() {
        try (Conv2d conv = Conv2d.builder(3, 8, 3).padding(1).build().to(device);
                Conv2d onJava = Conv2d.builder(3, 8, 3).padding(1).build().to(Device.java())) {
            onJava.setWeight(conv.weight());
            onJava.setBias(conv.bias());
            ProgramCounts before = counts();
            int[] outputShape = conv.prepare(2, 3, 11, 12);
            assertArrayEquals(new int[] {2, 8, 11, 12}, outputShape);
            assertEquals(1, counts().since(before).obtained(), "prepare built the program");
            ProgramCounts prepared = counts();
            Tensor input = Comparison.randomTensor(5, 2, 3, 11, 12);
            Comparison.assertClose(onJava.forward(input), conv.forward(input), TOLERANCE, "conv after prepare");
            assertEquals(0, counts().since(prepared).obtained(), "the forward built nothing: " + counts());
            // Another input size needs no build either (sizes are kernel arguments)...
            conv.forward(Comparison.randomTensor(6, 2, 3, 13, 12)).close();
            assertEquals(0, counts().since(prepared).obtained(), "another size built nothing: " + counts());
            // ...but a layer that was not prepared does: the count above can see a build.
            try (Conv2d other = Conv2d.builder(3, 9, 3).padding(1).build().to(device)) {
                other.forward(input).close();
            }
            assertEquals(1, counts().since(prepared).obtained());
        }
    }

    @Test
    void afterPrepareATransposedConvolutionsForwardBuildsNothingWithOrWithoutAnOutputSize() {
        try (ConvTranspose2d up = ConvTranspose2d.builder(3, 4, 4)
                        .stride(2)
                        .padding(1)
                        .build()
                        .to(device);
                ConvTranspose2d onJava = ConvTranspose2d.builder(3, 4, 4)
                        .stride(2)
                        .padding(1)
                        .build()
                        .to(Device.java())) {
            onJava.setWeight(up.weight());
            onJava.setBias(up.bias());
            Tensor input = Comparison.randomTensor(7, 1, 3, 7, 8);
            assertArrayEquals(new int[] {1, 4, 14, 16}, up.prepare(1, 3, 7, 8));
            assertArrayEquals(new int[] {1, 4, 15, 17}, up.prepare(new int[] {1, 3, 7, 8}, 15, 17));
            assertEquals(2, counts().obtained());
            Comparison.assertClose(onJava.forward(input), up.forward(input), TOLERANCE, "default size");
            Comparison.assertClose(
                    onJava.forward(input, 15, 17), up.forward(input, 15, 17), TOLERANCE, "output size 15x17");
            assertEquals(2, counts().obtained(), "neither forward built anything: " + counts());
        }
    }

    @Test
    void aSequentialPreparesEveryStepWithEachStepsInputShape() {
        Layer[] layers = {
            Conv2d.builder(3, 8, 3).padding(1).build(),
            new BatchNorm2d(8),
            new ActivationLayer(Activation.RELU),
            ConvTranspose2d.builder(8, 4, 4).stride(2).padding(1).build(),
            new ActivationLayer(Activation.TANH),
            new BatchNorm2d(4),
            new ActivationLayer(Activation.SIGMOID),
            new Identity(),
            new ActivationLayer(Activation.RELU)
        };
        try (Sequential net = Sequential.of(layers).to(device)) {
            assertEquals(4, net.layers().size(), "conv+bn+relu, convT+tanh, bn+sigmoid, relu: " + net);
            int[] outputShape = net.prepare(2, 3, 9, 10);
            assertArrayEquals(new int[] {2, 4, 18, 20}, outputShape);
            assertEquals(4, counts().obtained(), "one program per step");
            Tensor input = Comparison.randomTensor(8, 2, 3, 9, 10);
            Tensor expected = Sequential.unfused(layers).to(Device.java()).forward(input);
            Tensor actual = net.forward(input);
            assertArrayEquals(outputShape, actual.shape());
            Comparison.assertClose(expected, actual, TOLERANCE, "the network after prepare");
            assertEquals(4, counts().obtained(), "the forward built nothing: " + counts());
        }
    }

    @Test
    void prepareChecksTheInputAsForwardDoes() {
        try (Conv2d conv = Conv2d.builder(3, 8, 3).build().to(device);
                Sequential net = Sequential.of(
                                Conv2d.builder(3, 8, 3).build(),
                                new ActivationLayer(Activation.RELU),
                                Conv2d.builder(4, 2, 1).build())
                        .to(device)) {
            IllegalArgumentException channels =
                    assertThrows(IllegalArgumentException.class, () -> conv.prepare(1, 4, 8, 8));
            assertTrue(
                    channels.getMessage().contains("expected input[1, 4, 8, 8] to have 3 channels, but got 4"),
                    channels.getMessage());
            assertEquals(0, counts().obtained(), "nothing built for a call that forward would refuse too");
            IllegalArgumentException layer =
                    assertThrows(IllegalArgumentException.class, () -> net.prepare(1, 3, 8, 8));
            assertTrue(
                    layer.getMessage().startsWith("layer 2 (Conv2d(4, 2")
                            && layer.getMessage().contains("to have 4 channels, but got 8"),
                    layer.getMessage());
            assertEquals(1, counts().obtained(), "the steps before the one that does not fit are prepared");
        }
    }

    @Test
    void aLayerThatIsNotJconvsCannotBePrepared() {
        Layer foreign = new Layer() {
            @Override
            public Tensor forward(Tensor input) {
                return input;
            }

            @Override
            public Layer to(Device target) {
                return this;
            }

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "Foreign()";
            }
        };
        try (Sequential net = Sequential.of(foreign).to(device)) {
            UnsupportedOperationException refused =
                    assertThrows(UnsupportedOperationException.class, () -> net.prepare(1, 3, 8, 8));
            assertTrue(refused.getMessage().startsWith("Foreign() cannot be prepared"), refused.getMessage());
        }
    }

    @Test
    void onTheJavaDevicePrepareOnlyGivesTheShape() {
        try (Conv2d conv = Conv2d.builder(3, 8, 3).stride(2).build().to(Device.java())) {
            assertArrayEquals(conv.forward(Tensor.zeros(1, 3, 9, 9)).shape(), conv.prepare(1, 3, 9, 9));
            assertEquals(
                    new ProgramCounts(0, 0, 0, 0, 0),
                    ProgramCounts.of(Device.java().backend()));
        }
    }
}
