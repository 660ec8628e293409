package dev.jconv.backend.opencl;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Random;

/**
 * Reproducible random Conv2d and ConvTranspose2d calls over every parameter (strides, per-side and 'same' padding,
 * padding modes, dilation, groups, bias, output_padding, output_size), drawn until PyTorch's rules accept them.
 */
final class RandomCases {

    /** A module configuration and one input shape it accepts; {@code outputSize} is null unless drawn. */
    record Conv2dCase(Conv2dConfig config, int[] inputShape) {
    }

    record ConvTranspose2dCase(ConvTranspose2dConfig config, int[] inputShape, IntPair outputSize) {
    }

    private final Random random;

    RandomCases(long seed) {
        this.random = new Random(seed);
    }

    Conv2dCase conv2d() {
        while (true) {
            int groups = pick(1, 1, 2, 3);
            int inChannels = groups * between(1, 4);
            int outChannels = groups * between(1, 12);
            IntPair kernel = IntPair.of(between(1, 5), between(1, 5));
            IntPair stride = IntPair.of(between(1, 3), between(1, 3));
            IntPair dilation = IntPair.of(between(1, 3), between(1, 3));
            Padding padding = random.nextInt(4) == 0 && stride.equals(IntPair.of(1))
                    ? Padding.SAME : Padding.of(between(0, 3), between(0, 3));
            PaddingMode mode = PaddingMode.values()[random.nextInt(PaddingMode.values().length)];
            int[] shape = {between(1, 2), inChannels, between(1, 20), between(1, 40)};
            try {
                Conv2dConfig config = new Conv2dConfig(inChannels, outChannels, kernel, stride, padding, dilation,
                        groups, random.nextBoolean(), mode);
                Conv2dGeometry.of(config, shape);
                return new Conv2dCase(config, shape);
            } catch (IllegalArgumentException rejected) {
                // PyTorch would refuse this combination; draw again.
            }
        }
    }

    ConvTranspose2dCase convTranspose2d() {
        while (true) {
            int groups = pick(1, 1, 2, 4);
            int inChannels = groups * between(1, 4);
            int outChannels = groups * between(1, 10);
            IntPair kernel = IntPair.of(between(1, 5), between(1, 5));
            IntPair stride = IntPair.of(between(1, 3), between(1, 3));
            IntPair dilation = IntPair.of(between(1, 2), between(1, 2));
            IntPair padding = IntPair.of(between(0, 2), between(0, 2));
            IntPair outputPadding = IntPair.of(between(0, 2), between(0, 2));
            int[] shape = {between(1, 2), inChannels, between(1, 12), between(1, 30)};
            try {
                ConvTranspose2dConfig config = new ConvTranspose2dConfig(inChannels, outChannels, kernel, stride,
                        padding, outputPadding, groups, random.nextBoolean(), dilation);
                IntPair outputSize = null;
                if (random.nextInt(3) == 0) {
                    ConvTranspose2dGeometry smallest = ConvTranspose2dGeometry.of(config, shape, null);
                    int extraHeight = random.nextInt(stride.height());
                    int extraWidth = random.nextInt(stride.width());
                    outputSize = IntPair.of(smallest.outHeight() - config.outputPadding().height() + extraHeight,
                            smallest.outWidth() - config.outputPadding().width() + extraWidth);
                }
                ConvTranspose2dGeometry.of(config, shape, outputSize);
                return new ConvTranspose2dCase(config, shape, outputSize);
            } catch (IllegalArgumentException rejected) {
                // Not a call PyTorch accepts; draw again.
            }
        }
    }

    private int between(int lowest, int highest) {
        return lowest + random.nextInt(highest - lowest + 1);
    }

    private int pick(int... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
