package dev.jconv.geometry;

import dev.jconv.Activation;
import dev.jconv.PaddingMode;

/**
 * One validated Conv2d call: the module's hyper-parameters applied to one input shape, with every size derived once.
 * Built only through {@link #of}, which applies PyTorch's forward-time rules; past it, backends may assume the sizes
 * are consistent (the output is at least 1x1, the padded input holds the dilated kernel).
 *
 * <p>Padding is kept per side because {@code padding='same'} with an even dilated kernel pads one more pixel at the
 * bottom and right than at the top and left, as PyTorch does.
 */
public record Conv2dGeometry(
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
        int padTop,
        int padBottom,
        int padLeft,
        int padRight,
        int dilationHeight,
        int dilationWidth,
        PaddingMode paddingMode,
        boolean hasBias,
        int outHeight,
        int outWidth,
        Activation activation)
        implements ConvGeometry {

    /**
     * Validates {@code inputShape} ([N, C, H, W], or [C, H, W] unbatched) against {@code config}.
     *
     * @throws IllegalArgumentException with PyTorch's message when PyTorch would reject the call
     */
    public static Conv2dGeometry of(Conv2dConfig config, int[] inputShape) {
        boolean unbatched = InputRules.checkRank("conv2d", inputShape);
        int[] batched = InputRules.batched(inputShape);
        int batch = batched[0];
        int channels = batched[1];
        int height = batched[2];
        int width = batched[3];
        int[] weightShape = config.weightShape();
        if (channels != config.inChannels()) {
            throw new IllegalArgumentException("Given groups=" + config.groups() + ", weight of size "
                    + Shapes.format(weightShape) + ", expected input" + Shapes.format(batched) + " to have "
                    + config.inChannels() + " channels, but got " + channels + " channels instead");
        }
        int kernelHeight = config.kernelSize().height();
        int kernelWidth = config.kernelSize().width();
        int dilationHeight = config.dilation().height();
        int dilationWidth = config.dilation().width();
        int padTop;
        int padBottom;
        int padLeft;
        int padRight;
        if (config.padding().isSame()) {
            // PyTorch's _conv_forward for 'same': the total is d*(k-1); the smaller half goes first.
            int totalHeight = dilationHeight * (kernelHeight - 1);
            int totalWidth = dilationWidth * (kernelWidth - 1);
            padTop = totalHeight / 2;
            padBottom = totalHeight - padTop;
            padLeft = totalWidth / 2;
            padRight = totalWidth - padLeft;
        } else {
            padTop = padBottom = config.padding().amounts().height();
            padLeft = padRight = config.padding().amounts().width();
        }
        InputRules.checkSpatialNotEmpty("conv2d", batched);
        PaddingMode mode = config.paddingMode();
        // Unbatched input with padding_mode='circular' is accepted and runs as a batch of one, as in PyTorch 2.x;
        // PyTorch 1.13 rejected it ("Invalid padding size, expected 2 but got 4"), a bug in its circular F.pad.
        if (mode != PaddingMode.ZEROS) {
            checkPaddingFitsMode(mode, batched, padTop, padBottom, padLeft, padRight);
        }
        long paddedHeight = (long) height + padTop + padBottom;
        long paddedWidth = (long) width + padLeft + padRight;
        long dilatedKernelHeight = (long) dilationHeight * (kernelHeight - 1) + 1;
        long dilatedKernelWidth = (long) dilationWidth * (kernelWidth - 1) + 1;
        if (paddedHeight < dilatedKernelHeight || paddedWidth < dilatedKernelWidth) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedHeight + " x "
                    + paddedWidth + "). Kernel size: (" + dilatedKernelHeight + " x " + dilatedKernelWidth
                    + "). Kernel size can't be greater than actual input size");
        }
        if (paddedHeight < 1 || paddedWidth < 1) {
            throw new IllegalArgumentException("input (H: " + height + ", W: " + width + ") is too small for padding "
                    + padTop + "/" + padBottom + "/" + padLeft + "/" + padRight + " (top/bottom/left/right):"
                    + " nothing is left after cropping");
        }
        long outHeight = (paddedHeight - dilatedKernelHeight) / config.stride().height() + 1;
        long outWidth = (paddedWidth - dilatedKernelWidth) / config.stride().width() + 1;
        Shapes.elementCount(new int[] {batch, config.outChannels(), (int) outHeight, (int) outWidth});
        return new Conv2dGeometry(
                batch,
                unbatched,
                channels,
                height,
                width,
                config.outChannels(),
                config.groups(),
                kernelHeight,
                kernelWidth,
                config.stride().height(),
                config.stride().width(),
                padTop,
                padBottom,
                padLeft,
                padRight,
                dilationHeight,
                dilationWidth,
                mode,
                config.bias(),
                (int) outHeight,
                (int) outWidth,
                Activation.NONE);
    }

    /**
     * F.pad's limits: reflect needs pad < size (it mirrors without repeating the edge), circular wraps at most once.
     */
    private static void checkPaddingFitsMode(
            PaddingMode mode, int[] batched, int padTop, int padBottom, int padLeft, int padRight) {
        int height = batched[2];
        int width = batched[3];
        if (mode == PaddingMode.REFLECT) {
            if (padLeft >= width || padRight >= width) {
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding"
                        + " input dimension, but got: padding (" + padLeft + ", " + padRight + ") at dimension 3 of"
                        + " input " + Shapes.format(batched));
            }
            if (padTop >= height || padBottom >= height) {
                throw new IllegalArgumentException("Argument #6: Padding size should be less than the corresponding"
                        + " input dimension, but got: padding (" + padTop + ", " + padBottom + ") at dimension 2 of"
                        + " input " + Shapes.format(batched));
            }
        } else if (mode == PaddingMode.CIRCULAR) {
            if (padTop > height || padBottom > height || padLeft > width || padRight > width) {
                throw new IllegalArgumentException("Padding value causes wrapping around more than once."
                        + " (padding top/bottom/left/right " + padTop + "/" + padBottom + "/" + padLeft + "/"
                        + padRight + " on input " + Shapes.format(batched) + ")");
            }
        } else if (mode == PaddingMode.REPLICATE && (height == 0 || width == 0)) {
            throw new IllegalArgumentException(
                    "replicate padding needs a non-empty input, but got input " + Shapes.format(batched));
        }
    }

    /** The same call on the first {@code images} images of the batch: how a batch too large for a device is sliced. */
    public Conv2dGeometry withBatch(int images) {
        return images == batch
                ? this
                : new Conv2dGeometry(
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
                        padTop,
                        padBottom,
                        padLeft,
                        padRight,
                        dilationHeight,
                        dilationWidth,
                        paddingMode,
                        hasBias,
                        outHeight,
                        outWidth,
                        activation);
    }

    /** The same call with {@code epilogue} applied to every output value before it is stored. */
    public Conv2dGeometry withActivation(Activation epilogue) {
        return new Conv2dGeometry(
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
                padTop,
                padBottom,
                padLeft,
                padRight,
                dilationHeight,
                dilationWidth,
                paddingMode,
                hasBias,
                outHeight,
                outWidth,
                epilogue);
    }

    @Override
    public int[] weightShape() {
        return new int[] {outChannels, inChannelsPerGroup(), kernelHeight, kernelWidth};
    }

    /** Multiply-adds: every output element sums in/groups x kH x kW products. FLOPs are twice this. */
    @Override
    public long multiplyAdds() {
        return outputElements() * inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    @Override
    public String describe() {
        return "conv2d input " + Shapes.format(inputShape()) + " weight " + Shapes.format(weightShape())
                + " -> output " + Shapes.format(outputShape()) + " (stride " + strideHeight + "x" + strideWidth
                + ", padding " + padTop + "/" + padBottom + "/" + padLeft + "/" + padRight + " "
                + paddingMode.torchName()
                + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")"
                + (activation.isNone() ? "" : " then " + activation);
    }
}
