package dev.jconv.geometry;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import java.util.Objects;

/**
 * The hyper-parameters of one Conv2d module, checked once when the module is built, with PyTorch's rules and words.
 * Rules that need the input's shape live in {@link Conv2dGeometry}.
 */
public record Conv2dConfig(CommonConfig common, Padding padding, PaddingMode paddingMode) implements ConvConfig {

    public Conv2dConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(paddingMode, "padding_mode");
        IntPair stride = common.stride();
        if (padding.isSame() && (stride.height() != 1 || stride.width() != 1)) {
            throw new IllegalArgumentException(
                    "padding='same' is not supported for strided convolutions" + " (got stride=" + stride + ")");
        }
        ConfigRules.checkStrideAndDilation(common);
        // With reflect/replicate/circular PyTorch pads through F.pad, which crops on a negative amount, so only
        // zeros mode rejects negative padding.
        if (!padding.isSame() && paddingMode == PaddingMode.ZEROS) {
            ConfigRules.checkPaddingNotNegative("padding", padding.amounts());
        }
    }

    /** The same hyper-parameters with or without a bias. */
    public Conv2dConfig withBias(boolean value) {
        return new Conv2dConfig(common.withBias(value), padding, paddingMode);
    }

    /** PyTorch's repr, used to name the module in messages. */
    @Override
    public String toString() {
        return ConfigRules.repr("Conv2d", common, padding, Padding.of(0), IntPair.of(0), paddingMode.torchName());
    }
}
