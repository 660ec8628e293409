package dev.jconv;

import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Random;

/**
 * Reproducible random Conv2d and ConvTranspose2d calls over every parameter (strides, per-side and 'same' padding,
 * padding modes, dilation, groups down to depthwise, bias, output_padding, output_size, kernel == stride, 1x1
 * images, batches), drawn until PyTorch's rules accept them. Shared by every randomised cross-check.
 */
public final class RandomCalls {

    /** A module configuration and one input shape it accepts. */
    public record Conv2dCase(Conv2dConfig config, int[] inputShape) {
        public Conv2dGeometry geometry() {
            return Conv2dGeometry.of(config, inputShape);
        }
    }

    /** As {@link Conv2dCase}, with PyTorch's {@code output_size} argument, null unless drawn. */
    public record ConvTranspose2dCase(ConvTranspose2dConfig config, int[] inputShape, IntPair outputSize) {
        public ConvTranspose2dGeometry geometry() {
            return ConvTranspose2dGeometry.of(config, inputShape, outputSize);
        }
    }

    private final Random random;

    public RandomCalls(long seed) {
        this.random = new Random(seed);
    }

    public Conv2dCase conv2d() {
        while (true) {
            int groups = random.nextInt(4) == 0 ? between(1, 4) : 1;
            int inChannels = groups * between(1, random.nextBoolean() ? 3 : 12);
            if (random.nextInt(4) == 0) {
                groups = inChannels; // depthwise
            }
            int outChannels = groups * between(1, random.nextBoolean() ? 3 : 20);
            IntPair kernel = IntPair.of(between(1, 5), between(1, 5));
            boolean same = random.nextInt(5) == 0;
            int largest = random.nextInt(8) == 0 ? 8 : 3; // now and then large strides and dilations
            IntPair stride = same ? IntPair.of(1) : IntPair.of(between(1, largest), between(1, largest));
            IntPair dilation =
                    random.nextInt(3) == 0 ? IntPair.of(between(1, largest), between(1, largest)) : IntPair.of(1);
            Padding padding = same ? Padding.SAME : Padding.of(between(0, 3), between(0, 3));
            PaddingMode mode = PaddingMode.values()[random.nextInt(PaddingMode.values().length)];
            int[] shape = {between(1, 3), inChannels, imageSize(40), imageSize(40)};
            try {
                Conv2dConfig config = new Conv2dConfig(
                        new CommonConfig(
                                inChannels, outChannels, kernel, stride, dilation, groups, random.nextBoolean()),
                        padding,
                        mode);
                Conv2dGeometry.of(config, shape);
                return new Conv2dCase(config, shape);
            } catch (IllegalArgumentException rejected) {
                // PyTorch would refuse this combination; draw again.
            }
        }
    }

    public ConvTranspose2dCase convTranspose2d() {
        while (true) {
            int groups = random.nextInt(4) == 0 ? between(1, 4) : 1;
            int inChannels = groups * between(1, random.nextBoolean() ? 3 : 12);
            int outChannels = groups * between(1, random.nextBoolean() ? 3 : 20);
            int largest = random.nextInt(8) == 0 ? 8 : 4; // now and then large strides and dilations
            IntPair stride = IntPair.of(between(1, largest), between(1, largest));
            boolean kernelIsStride = random.nextInt(4) == 0; // the plain-GEMM case
            IntPair kernel = kernelIsStride ? stride : IntPair.of(between(1, 5), between(1, 5));
            IntPair dilation = !kernelIsStride && random.nextInt(3) == 0
                    ? IntPair.of(between(1, largest), between(1, largest))
                    : IntPair.of(1);
            IntPair padding = kernelIsStride ? IntPair.of(0) : IntPair.of(between(0, 3), between(0, 3));
            IntPair outputPadding = random.nextInt(3) == 0 ? IntPair.of(between(0, 3), between(0, 3)) : IntPair.of(0);
            int[] shape = {between(1, 3), inChannels, imageSize(24), imageSize(24)};
            try {
                ConvTranspose2dConfig config = new ConvTranspose2dConfig(
                        new CommonConfig(
                                inChannels, outChannels, kernel, stride, dilation, groups, random.nextBoolean()),
                        padding,
                        outputPadding);
                IntPair outputSize = null;
                if (random.nextInt(4) == 0) {
                    // PyTorch's output_size: any size from the smallest up to stride - 1 more, per dimension.
                    ConvTranspose2dGeometry smallest = ConvTranspose2dGeometry.of(config, shape, null);
                    outputSize = IntPair.of(
                            smallest.outHeight() - smallest.outputPadding().height() + random.nextInt(stride.height()),
                            smallest.outWidth() - smallest.outputPadding().width() + random.nextInt(stride.width()));
                }
                ConvTranspose2dGeometry.of(config, shape, outputSize);
                return new ConvTranspose2dCase(config, shape, outputSize);
            } catch (IllegalArgumentException rejected) {
                // Not a call PyTorch accepts; draw again.
            }
        }
    }

    /** 1 in a sixth of draws (1x1 images and thin strips matter), else small or up to {@code largest}. */
    private int imageSize(int largest) {
        return random.nextInt(6) == 0 ? 1 : between(1, random.nextBoolean() ? 8 : largest);
    }

    private int between(int lowest, int highest) {
        return lowest + random.nextInt(highest - lowest + 1);
    }

    private int pick(int... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
