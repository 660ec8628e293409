package dev.jconv.geometry;

import dev.jconv.Activation;
import dev.jconv.Conv2dAlgorithm;
import dev.jconv.PaddingMode;
import java.util.Locale;

/**
 * One validated Conv2d call: the module's hyper-parameters applied to one input shape, with every size derived once.
 * Built only through {@link #of}, which applies PyTorch's forward-time rules; past it, backends may assume the sizes
 * are consistent (the output is at least 1x1, the padded input holds the dilated kernel).
 */
public record Conv2dGeometry(
        ConvSizes sizes,
        KernelWindow window,
        SidePadding padding,
        PaddingMode paddingMode,
        Epilogue epilogue,
        Conv2dAlgorithm algorithm)
        implements ConvGeometry {

    /**
     * Validates {@code inputShape} ([N, C, H, W], or [C, H, W] unbatched) against {@code config}.
     *
     * @throws IllegalArgumentException with PyTorch's message when PyTorch would reject the call
     */
    public static Conv2dGeometry of(Conv2dConfig config, int[] inputShape) {
        int[] batched =
                InputRules.checkInput("conv2d", "groups=" + config.common().groups(), config, inputShape);
        int height = batched[2];
        int width = batched[3];
        KernelWindow window = KernelWindow.of(config);
        SidePadding pads = SidePadding.of(config.padding(), window);
        PaddingMode mode = config.paddingMode();
        // Unbatched input with padding_mode='circular' is accepted and runs as a batch of one, as in PyTorch 2.x;
        // PyTorch 1.13 rejected it ("Invalid padding size, expected 2 but got 4"), a bug in its circular F.pad.
        if (mode != PaddingMode.ZEROS) {
            checkPaddingFitsMode(mode, batched, pads);
        }
        long paddedHeight = (long) height + pads.top() + pads.bottom();
        long paddedWidth = (long) width + pads.left() + pads.right();
        if (paddedHeight < window.dilatedHeight() || paddedWidth < window.dilatedWidth()) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedHeight + " x "
                    + paddedWidth + "). Kernel size: (" + window.dilatedHeight() + " x " + window.dilatedWidth()
                    + "). Kernel size can't be greater than actual input size");
        }
        if (paddedHeight < 1 || paddedWidth < 1) {
            throw new IllegalArgumentException("input (H: " + height + ", W: " + width + ") is too small for padding "
                    + pads + " (top/bottom/left/right): nothing is left after cropping");
        }
        long outHeight =
                (paddedHeight - window.dilatedHeight()) / window.stride().height() + 1;
        long outWidth = (paddedWidth - window.dilatedWidth()) / window.stride().width() + 1;
        return new Conv2dGeometry(
                ConvSizes.of(config, inputShape, outHeight, outWidth),
                window,
                pads,
                mode,
                new Epilogue(config.common().bias(), Activation.NONE),
                Conv2dAlgorithm.EXACT);
    }

    /**
     * F.pad's limits: reflect needs pad < size (it mirrors without repeating the edge), circular wraps at most once.
     */
    private static void checkPaddingFitsMode(PaddingMode mode, int[] batched, SidePadding pads) {
        int height = batched[2];
        int width = batched[3];
        int padTop = pads.top();
        int padBottom = pads.bottom();
        int padLeft = pads.left();
        int padRight = pads.right();
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
                        + " (padding top/bottom/left/right " + pads + " on input " + Shapes.format(batched) + ")");
            }
        } else if (mode == PaddingMode.REPLICATE && (height == 0 || width == 0)) {
            throw new IllegalArgumentException(
                    "replicate padding needs a non-empty input, but got input " + Shapes.format(batched));
        }
    }

    @Override
    public Conv2dGeometry withBatch(int images) {
        return images == batch()
                ? this
                : new Conv2dGeometry(sizes.withBatch(images), window, padding, paddingMode, epilogue, algorithm);
    }

    @Override
    public Conv2dGeometry withActivation(Activation activation) {
        return new Conv2dGeometry(sizes, window, padding, paddingMode, epilogue.with(activation), algorithm);
    }

    /** The same call computed by {@code value}, which the module checked applies to its hyper-parameters. */
    public Conv2dGeometry withAlgorithm(Conv2dAlgorithm value) {
        return new Conv2dGeometry(sizes, window, padding, paddingMode, epilogue, value);
    }

    @Override
    public WeightLayout weightLayout() {
        return WeightLayout.OUTPUT_CHANNELS_FIRST;
    }

    @Override
    public String describe() {
        String text = GeometryText.describe(this, "conv2d", "padding " + padding + " " + paddingMode.torchName());
        return algorithm == Conv2dAlgorithm.EXACT
                ? text
                : text + " " + algorithm.name().toLowerCase(Locale.ROOT);
    }
}
