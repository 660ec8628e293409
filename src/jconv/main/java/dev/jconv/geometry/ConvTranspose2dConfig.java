package dev.jconv.geometry;

import dev.jconv.IntPair;
import java.util.Objects;

/**
 * The hyper-parameters of one ConvTranspose2d module, checked once when the module is built, with PyTorch's rules
 * and words. Rules that need the input's shape live in {@link ConvTranspose2dGeometry}.
 */
public record ConvTranspose2dConfig(CommonConfig common, IntPair padding, IntPair outputPadding) implements ConvConfig {

    public ConvTranspose2dConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(outputPadding, "output_padding");
        ConfigRules.checkStrideAndDilation(common);
        ConfigRules.checkPaddingNotNegative("padding", padding);
        ConfigRules.checkPaddingNotNegative("output_padding", outputPadding);
        checkOutputPadding(outputPadding, common.stride(), common.dilation());
    }

    /**
     * PyTorch's rule: each output_padding must be smaller than its stride or its dilation, since a larger one
     * would add rows that no input reaches.
     */
    static void checkOutputPadding(IntPair outputPadding, IntPair stride, IntPair dilation) {
        boolean heightOk = outputPadding.height() < stride.height() || outputPadding.height() < dilation.height();
        boolean widthOk = outputPadding.width() < stride.width() || outputPadding.width() < dilation.width();
        if (!heightOk || !widthOk) {
            throw new IllegalArgumentException("output padding must be smaller than either stride or dilation,"
                    + " but got output_padding_height: " + outputPadding.height()
                    + " output_padding_width: " + outputPadding.width()
                    + " stride_height: " + stride.height() + " stride_width: " + stride.width()
                    + " dilation_height: " + dilation.height() + " dilation_width: " + dilation.width());
        }
    }

    /** The same hyper-parameters with or without a bias. */
    public ConvTranspose2dConfig withBias(boolean value) {
        return new ConvTranspose2dConfig(common.withBias(value), padding, outputPadding);
    }

    /** PyTorch's repr, used to name the module in messages. */
    @Override
    public String toString() {
        return ConfigRules.repr("ConvTranspose2d", common, padding, IntPair.of(0), outputPadding, "zeros");
    }
}
