package dev.jconv.geometry;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import java.util.Objects;

/**
 * The hyper-parameters of one Conv2d module, checked once when the module is built, with PyTorch's rules and words.
 * Rules that need the input's shape live in {@link Conv2dGeometry}.
 */
public record Conv2dConfig(int inChannels, int outChannels, IntPair kernelSize, IntPair stride, Padding padding,
                           IntPair dilation, int groups, boolean bias, PaddingMode paddingMode) {

    public Conv2dConfig {
        Objects.requireNonNull(kernelSize, "kernel_size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(dilation, "dilation");
        Objects.requireNonNull(paddingMode, "padding_mode");
        ConfigRules.checkChannelsAndGroups(inChannels, outChannels, groups);
        ConfigRules.checkKernel(kernelSize);
        if (padding.isSame() && (stride.height() != 1 || stride.width() != 1)) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions"
                    + " (got stride=" + stride + ")");
        }
        ConfigRules.checkStrideAndDilation(stride, dilation);
        // With reflect/replicate/circular PyTorch pads through F.pad, which crops on a negative amount, so only
        // zeros mode rejects negative padding.
        if (!padding.isSame() && paddingMode == PaddingMode.ZEROS) {
            ConfigRules.checkPaddingNotNegative("padding", padding.amounts());
        }
    }

    /** The weight's shape, as PyTorch lays it out: [out, in/groups, kH, kW]. */
    public int[] weightShape() {
        return new int[] {outChannels, inChannels / groups, kernelSize.height(), kernelSize.width()};
    }

    /** Default-init fan-in, as PyTorch's kaiming_uniform_(a=sqrt(5)) computes it: in/groups * kH * kW. */
    public int fanIn() {
        return inChannels / groups * kernelSize.height() * kernelSize.width();
    }

    /** PyTorch's repr, used to name the module in messages. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Conv2d(").append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(kernelSize).append(", stride=").append(stride);
        if (!padding.equals(Padding.of(0))) {
            text.append(", padding=").append(padding);
        }
        if (!dilation.equals(IntPair.of(1))) {
            text.append(", dilation=").append(dilation);
        }
        if (groups != 1) {
            text.append(", groups=").append(groups);
        }
        if (!bias) {
            text.append(", bias=False");
        }
        if (paddingMode != PaddingMode.ZEROS) {
            text.append(", padding_mode=").append(paddingMode.torchName());
        }
        return text.append(')').toString();
    }
}
