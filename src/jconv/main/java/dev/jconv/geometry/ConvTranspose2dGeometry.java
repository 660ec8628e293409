package dev.jconv.geometry;

import dev.jconv.Activation;
import dev.jconv.IntPair;

/**
 * One validated ConvTranspose2d call: the module's hyper-parameters applied to one input shape (and optionally a
 * requested output size), with every size derived once. Built only through {@link #of}, which applies PyTorch's
 * forward-time rules; past it, backends may assume the output is at least 1x1.
 *
 * <p>Output size per dimension: {@code (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1}.
 */
public record ConvTranspose2dGeometry(
        ConvSizes sizes, KernelWindow window, IntPair padding, IntPair outputPadding, Epilogue epilogue)
        implements ConvGeometry {

    /**
     * Validates {@code inputShape} ([N, C, H, W], or [C, H, W] unbatched) against {@code config}.
     *
     * @param outputSize PyTorch's {@code output_size} argument as (H, W), or null to use the module's output_padding
     * @throws IllegalArgumentException with PyTorch's message when PyTorch would reject the call
     */
    public static ConvTranspose2dGeometry of(ConvTranspose2dConfig config, int[] inputShape, IntPair outputSize) {
        int[] batched = InputRules.checkInput("conv_transpose2d", "transposed=1", config, inputShape);
        int height = batched[2];
        int width = batched[3];
        IntPair outputPadding =
                outputSize == null ? config.outputPadding() : outputPaddingFor(config, height, width, outputSize);
        long outHeight = smallestOutput(config, height, Axis.HEIGHT) + outputPadding.height();
        long outWidth = smallestOutput(config, width, Axis.WIDTH) + outputPadding.width();
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("Given input size per channel: (" + height + " x " + width
                    + "). Calculated output size per channel: (" + outHeight + " x " + outWidth
                    + "). Output size is too small");
        }
        return new ConvTranspose2dGeometry(
                ConvSizes.of(config, inputShape, outHeight, outWidth),
                KernelWindow.of(config),
                config.padding(),
                outputPadding,
                new Epilogue(config.common().bias(), Activation.NONE));
    }

    private enum Axis {
        HEIGHT,
        WIDTH;

        int of(IntPair pair) {
            return this == HEIGHT ? pair.height() : pair.width();
        }
    }

    /**
     * The output size along {@code axis} with output_padding 0:
     * {@code (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1}.
     */
    private static long smallestOutput(ConvTranspose2dConfig config, int in, Axis axis) {
        return (long) (in - 1) * axis.of(config.common().stride())
                - 2L * axis.of(config.padding())
                + (long) axis.of(config.common().dilation())
                        * (axis.of(config.common().kernelSize()) - 1)
                + 1;
    }

    /**
     * PyTorch's {@code _output_padding}: a requested output size is reached by choosing output_padding, so it must lie
     * in [smallest, smallest + stride - 1] per dimension.
     */
    private static IntPair outputPaddingFor(ConvTranspose2dConfig config, int height, int width, IntPair outputSize) {
        long minHeight = smallestOutput(config, height, Axis.HEIGHT);
        long minWidth = smallestOutput(config, width, Axis.WIDTH);
        long maxHeight = minHeight + config.common().stride().height() - 1;
        long maxWidth = minWidth + config.common().stride().width() - 1;
        if (outputSize.height() < minHeight
                || outputSize.height() > maxHeight
                || outputSize.width() < minWidth
                || outputSize.width() > maxWidth) {
            throw new IllegalArgumentException("requested an output size of [" + outputSize.height() + ", "
                    + outputSize.width() + "], but valid sizes range from [" + minHeight + ", " + minWidth
                    + "] to [" + maxHeight + ", " + maxWidth + "] (for an input of torch.Size([" + height + ", "
                    + width + "]))");
        }
        return IntPair.of((int) (outputSize.height() - minHeight), (int) (outputSize.width() - minWidth));
    }

    @Override
    public ConvTranspose2dGeometry withBatch(int images) {
        return images == batch()
                ? this
                : new ConvTranspose2dGeometry(sizes.withBatch(images), window, padding, outputPadding, epilogue);
    }

    @Override
    public ConvTranspose2dGeometry withActivation(Activation activation) {
        return new ConvTranspose2dGeometry(sizes, window, padding, outputPadding, epilogue.with(activation));
    }

    @Override
    public WeightLayout weightLayout() {
        return WeightLayout.INPUT_CHANNELS_FIRST;
    }

    @Override
    public String describe() {
        return GeometryText.describe(
                this,
                "conv_transpose2d",
                "padding " + padding.height() + "x" + padding.width() + ", output_padding " + outputPadding.height()
                        + "x" + outputPadding.width());
    }
}
