package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jconv.Activation;
import dev.jconv.IntPair;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The transposed convolution keeps its rearranged weights on the weight's buffer between calls; a kept layout must
 * never outlive the contents it was computed from.
 */
class DerivedWeightTest {

    private final JavaBackend backend = new JavaBackend();

    @Test
    void aDerivedValueIsComputedOncePerKeyAndAgainAfterAWrite() {
        HostBuffer buffer = backend.upload(new float[] {1, 2, 3});
        AtomicInteger computed = new AtomicInteger();
        Supplier<Integer> count = computed::incrementAndGet;
        assertEquals(1, buffer.derived("k", count));
        assertEquals(1, buffer.derived("k", count), "same key, same contents: computed once");
        assertEquals(2, buffer.derived("other", count), "a new key computes again");
        buffer.contentsChanging();
        assertEquals(3, buffer.derived("other", count), "after a write the same key computes again");
    }

    /**
     * A weight buffer that an op overwrites (here a channel affine that doubles it) must give the transposed
     * convolution of the new weights, not of the layout kept from the old ones.
     */
    @Test
    void aTransposedConvolutionSeesWeightsThatAnOpOverwrote() {
        ConvTranspose2dGeometry g = ConvTranspose2dGeometry.of(
                new ConvTranspose2dConfig(
                        new CommonConfig(4, 3, IntPair.of(3), IntPair.of(2), IntPair.of(1), 1, false),
                        IntPair.of(1),
                        IntPair.of(0)),
                new int[] {1, 4, 5, 5},
                null);
        SplittableRandom random = new SplittableRandom(7);
        float[] input = uniform(random, g.inputElements());
        float[] weights = uniform(random, g.weightElements());
        HostBuffer inputBuffer = backend.upload(input);
        HostBuffer weightBuffer = backend.upload(weights);

        float[] first = transposed(g, inputBuffer, weightBuffer);
        assertArrayEquals(first, transposed(g, inputBuffer, weightBuffer), "a rerun with kept weights");

        // Double the weights in place: [in, out, kH, kW] seen as one image of `in` channels.
        int[] asImage = {1, g.inChannels(), g.outChannels(), g.kernelHeight() * g.kernelWidth()};
        float[] two = new float[g.inChannels()];
        Arrays.fill(two, 2f);
        backend.channelAffine(
                ChannelAffineGeometry.perChannel(asImage, Activation.NONE),
                new OpBuffers(
                        weightBuffer, backend.upload(two), backend.upload(new float[g.inChannels()]), weightBuffer));

        float[] doubled = weights.clone();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2f;
        }
        float[] expected = transposed(g, inputBuffer, backend.upload(doubled));
        float[] actual = transposed(g, inputBuffer, weightBuffer);
        assertFalse(Arrays.equals(first, actual), "the doubled weights changed the result");
        assertArrayEquals(expected, actual, "the kept layout was dropped when the weights were overwritten");
    }

    private float[] transposed(ConvTranspose2dGeometry g, HostBuffer input, HostBuffer weight) {
        HostBuffer output = backend.allocate(g.outputElements());
        backend.convTranspose2d(g, new OpBuffers(input, weight, null, output));
        return output.data().clone();
    }

    private static float[] uniform(SplittableRandom random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
