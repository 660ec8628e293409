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
        int batch,
        boolean unbatched,
        int inChannels,
        int inHeight,
        int inWidth,
        int outChannels,
        int groups,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int padHeight,
        int padWidth,
        int outputPadHeight,
        int outputPadWidth,
        int dilationHeight,
        int dilationWidth,
        boolean hasBias,
        int outHeight,
        int outWidth,
        Activation activation)
        implements ConvGeometry {

    /**
     * Validates {@code inputShape} ([N, C, H, W], or [C, H, W] unbatched) against {@code config}.
     *
     * @param outputSize PyTorch's {@code output_size} argument as (H, W), or null to use the module's output_padding
     * @throws IllegalArgumentException with PyTorch's message when PyTorch would reject the call
     */
    public static ConvTranspose2dGeometry of(ConvTranspose2dConfig config, int[] inputShape, IntPair outputSize) {
        boolean unbatched = InputRules.checkRank("conv_transpose2d", inputShape);
        int[] batched = InputRules.batched(inputShape);
        int channels = batched[1];
        if (channels != config.inChannels()) {
            throw new IllegalArgumentException("Given transposed=1, weight of size "
                    + Shapes.format(config.weightShape()) + ", expected input" + Shapes.format(batched) + " to have "
                    + config.inChannels() + " channels, but got " + channels + " channels instead");
        }
        InputRules.checkSpatialNotEmpty("conv_transpose2d", batched);
        int height = batched[2];
        int width = batched[3];
        IntPair outputPadding =
                outputSize == null ? config.outputPadding() : outputPaddingFor(config, height, width, outputSize);
        long outHeight = smallestOutput(
                        height,
                        config.stride().height(),
                        config.padding().height(),
                        config.dilation().height(),
                        config.kernelSize().height())
                + outputPadding.height();
        long outWidth = smallestOutput(
                        width,
                        config.stride().width(),
                        config.padding().width(),
                        config.dilation().width(),
                        config.kernelSize().width())
                + outputPadding.width();
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("Given input size per channel: (" + height + " x " + width
                    + "). Calculated output size per channel: (" + outHeight + " x " + outWidth
                    + "). Output size is too small");
        }
        Shapes.elementCount(new int[] {
            batched[0],
            config.outChannels(),
            (int) Math.min(outHeight, Integer.MAX_VALUE),
            (int) Math.min(outWidth, Integer.MAX_VALUE)
        });
        return new ConvTranspose2dGeometry(
                batched[0],
                unbatched,
                channels,
                height,
                width,
                config.outChannels(),
                config.groups(),
                config.kernelSize().height(),
                config.kernelSize().width(),
                config.stride().height(),
                config.stride().width(),
                config.padding().height(),
                config.padding().width(),
                outputPadding.height(),
                outputPadding.width(),
                config.dilation().height(),
                config.dilation().width(),
                config.bias(),
                (int) outHeight,
                (int) outWidth,
                Activation.NONE);
    }

    /** The output size with output_padding 0: {@code (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1}. */
    private static long smallestOutput(int in, int stride, int padding, int dilation, int kernel) {
        return (long) (in - 1) * stride - 2L * padding + (long) dilation * (kernel - 1) + 1;
    }

    /**
     * PyTorch's {@code _output_padding}: a requested output size is reached by choosing output_padding, so it must lie
     * in [smallest, smallest + stride - 1] per dimension.
     */
    private static IntPair outputPaddingFor(ConvTranspose2dConfig config, int height, int width, IntPair outputSize) {
        long minHeight = smallestOutput(
                height,
                config.stride().height(),
                config.padding().height(),
                config.dilation().height(),
                config.kernelSize().height());
        long minWidth = smallestOutput(
                width,
                config.stride().width(),
                config.padding().width(),
                config.dilation().width(),
                config.kernelSize().width());
        long maxHeight = minHeight + config.stride().height() - 1;
        long maxWidth = minWidth + config.stride().width() - 1;
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

    /** The same call on the first {@code images} images of the batch: how a batch too large for a device is sliced. */
    public ConvTranspose2dGeometry withBatch(int images) {
        return images == batch
                ? this
                : new ConvTranspose2dGeometry(
                        images,
                        unbatched,
                        inChannels,
                        inHeight,
                        inWidth,
                        outChannels,
                        groups,
                        kernelHeight,
                        kernelWidth,
                        strideHeight,
                        strideWidth,
                        padHeight,
                        padWidth,
                        outputPadHeight,
                        outputPadWidth,
                        dilationHeight,
                        dilationWidth,
                        hasBias,
                        outHeight,
                        outWidth,
                        activation);
    }

    /** The same call with {@code epilogue} applied to every output value before it is stored. */
    public ConvTranspose2dGeometry withActivation(Activation epilogue) {
        return new ConvTranspose2dGeometry(
                batch,
                unbatched,
                inChannels,
                inHeight,
                inWidth,
                outChannels,
                groups,
                kernelHeight,
                kernelWidth,
                strideHeight,
                strideWidth,
                padHeight,
                padWidth,
                outputPadHeight,
                outputPadWidth,
                dilationHeight,
                dilationWidth,
                hasBias,
                outHeight,
                outWidth,
                epilogue);
    }

    @Override
    public int[] weightShape() {
        return new int[] {inChannels, outChannelsPerGroup(), kernelHeight, kernelWidth};
    }

    /**
     * Multiply-adds of the textbook scatter: every input element meets out/groups x kH x kW weights. (Taps that land
     * in the padding are counted too, as the benchmark's FLOP rule asks.)
     */
    @Override
    public long multiplyAdds() {
        return inputElements() * outChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    @Override
    public String describe() {
        return "conv_transpose2d input " + Shapes.format(inputShape()) + " weight " + Shapes.format(weightShape())
                + " -> output " + Shapes.format(outputShape()) + " (stride " + strideHeight + "x" + strideWidth
                + ", padding " + padHeight + "x" + padWidth + ", output_padding " + outputPadHeight + "x"
                + outputPadWidth + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")"
                + (activation.isNone() ? "" : " then " + activation);
    }
}
