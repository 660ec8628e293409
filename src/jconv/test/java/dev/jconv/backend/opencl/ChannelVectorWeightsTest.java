package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Activation;
import dev.jconv.Comparison;
import dev.jconv.Device;
import dev.jconv.DeviceInfo;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.TestDevices;
import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * The re-laid weights of conv2d_channel_vectors on a real device: made once per weight buffer and reused, made again
 * once the buffer has been a kernel's output (a stale copy would silently give the old layer's answer), and freed
 * with the buffer.
 */
class ChannelVectorWeightsTest {

    private static final double TOLERANCE = 1e-4;
    /** Two vectors of 4 output channels: the layer's 8 channels are one block. */
    private static final KernelChoice CHANNEL_VECTORS =
            KernelChoice.direct(new DirectParameters(4, 4, 4, 2, 1, 1, 2, 3));

    @Test
    void copiesAreReusedRemadeAfterAWriteAndFreedWithTheirSource() {
        DeviceInfo info = TestDevices.openClOrSkip().info();
        Conv2dGeometry geometry = Conv2dGeometry.of(
                new Conv2dConfig(
                        new CommonConfig(4, 8, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, false),
                        Padding.of(1),
                        PaddingMode.ZEROS),
                new int[] {1, 4, 6, 9});
        assertEquals(
                "conv2d_channel_vectors",
                CHANNEL_VECTORS
                        .launch(geometry, Tuning.forType(dev.jconv.DeviceType.CPU))
                        .kernelName());
        float[] input = Comparison.randomTensor(40, 1, 4, 6, 9).toArray();
        float[] first = Comparison.randomTensor(41, 8, 4, 3, 3).toArray();
        float[] second = Comparison.randomTensor(42, 8, 4, 3, 3).toArray();
        try (OpenClBackend backend = (OpenClBackend) OpenClDevices.open(info, false);
                DeviceBuffer in = backend.upload(input);
                DeviceBuffer weight = backend.upload(first);
                DeviceBuffer replacement = backend.upload(second);
                DeviceBuffer out = backend.allocate(geometry.outputElements())) {
            long before = backend.liveBuffers();
            checkConv(backend, geometry, in, weight, out, input, first, "first call");
            assertEquals(before + 1, backend.liveBuffers(), "one re-laid copy of the weights");
            checkConv(backend, geometry, in, weight, out, input, first, "second call");
            assertEquals(before + 1, backend.liveBuffers(), "the copy is reused");

            // The weight buffer becomes a kernel's output: relu(second). The copy of the old values must not be used.
            ChannelAffineGeometry relu = ChannelAffineGeometry.activationOnly(new int[] {8, 4, 3, 3}, Activation.RELU);
            backend.channelAffine(relu, new OpBuffers(replacement, null, null, weight));
            float[] rectified = second.clone();
            for (int index = 0; index < rectified.length; index++) {
                rectified[index] = Math.max(0f, rectified[index]);
            }
            checkConv(backend, geometry, in, weight, out, input, rectified, "after the weights were overwritten");
            assertEquals(before + 1, backend.liveBuffers(), "the stale copy is freed when it is remade");

            weight.close();
            assertEquals(before - 1, backend.liveBuffers(), "the copy goes with its source");
        }
    }

    /** Runs the layer with the channel-vector kernel forced; compares it with the Java backend on the host values. */
    private static void checkConv(
            OpenClBackend backend,
            Conv2dGeometry geometry,
            DeviceBuffer in,
            DeviceBuffer weight,
            DeviceBuffer out,
            float[] input,
            float[] weights,
            String what) {
        KernelSelector.withCandidate(
                CHANNEL_VECTORS, () -> backend.conv2d(geometry, new OpBuffers(in, weight, null, out)));
        float[] actual = new float[(int) geometry.outputElements()];
        backend.download(out, actual);
        Comparison.assertClose(javaConv(geometry, input, weights), actual, TOLERANCE, what);
    }

    private static float[] javaConv(Conv2dGeometry geometry, float[] input, float[] weights) {
        Backend java = Device.java().backend();
        try (DeviceBuffer in = java.upload(input);
                DeviceBuffer weight = java.upload(weights);
                DeviceBuffer out = java.allocate(geometry.outputElements())) {
            java.conv2d(geometry, new OpBuffers(in, weight, null, out));
            float[] result = new float[(int) geometry.outputElements()];
            java.download(out, result);
            return result;
        }
    }
}
