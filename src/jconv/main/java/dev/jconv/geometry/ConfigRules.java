package dev.jconv.geometry;

import dev.jconv.IntPair;
import java.util.Objects;

/** The hyper-parameter rules that Conv2d and ConvTranspose2d share, each with PyTorch's message. */
final class ConfigRules {

    private ConfigRules() {}

    /**
     * The checks of the channels, groups and kernel, which PyTorch makes first for both ops; each op then checks its
     * own padding rules and {@link #checkStrideAndDilation} in its own order.
     */
    static void checkChannelsAndKernel(
            int inChannels, int outChannels, IntPair kernelSize, IntPair stride, IntPair dilation, int groups) {
        Objects.requireNonNull(kernelSize, "kernel_size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(dilation, "dilation");
        checkChannelsAndGroups(inChannels, outChannels, groups);
        checkKernel(kernelSize);
    }

    /**
     * PyTorch's repr of either op ({@code _ConvNd.extra_repr}): {@code Name(in, out, kernel_size=(kH, kW), stride=(sH,
     * sW), ...)}, then each keyword in PyTorch's order (output_padding after dilation), only where it is not PyTorch's
     * default. Conv2d has no output_padding and ConvTranspose2d only the zeros padding_mode: each passes the default.
     */
    static String repr(
            String name,
            CommonConfig common,
            Object padding,
            Object defaultPadding,
            IntPair outputPadding,
            String paddingMode) {
        return name + "(" + common.inChannels() + ", " + common.outChannels() + ", kernel_size=" + common.kernelSize()
                + ", stride=" + common.stride()
                + keyword("padding", padding, defaultPadding)
                + keyword("dilation", common.dilation(), IntPair.of(1))
                + keyword("output_padding", outputPadding, IntPair.of(0))
                + keyword("groups", common.groups(), 1)
                + keyword("bias", common.bias() ? "True" : "False", "True")
                + keyword("padding_mode", paddingMode, "zeros") + ")";
    }

    /** {@code ", name=value"}, or nothing when the value is PyTorch's default. */
    private static String keyword(String name, Object value, Object defaultValue) {
        return value.equals(defaultValue) ? "" : ", " + name + "=" + value;
    }

    private static void checkChannelsAndGroups(int inChannels, int outChannels, int groups) {
        if (groups <= 0) {
            throw new IllegalArgumentException("groups must be a positive integer (got groups=" + groups + ")");
        }
        if (inChannels <= 0) {
            throw new IllegalArgumentException(
                    "in_channels must be a positive integer (got in_channels=" + inChannels + ")");
        }
        if (outChannels <= 0) {
            throw new IllegalArgumentException(
                    "out_channels must be a positive integer (got out_channels=" + outChannels + ")");
        }
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("in_channels must be divisible by groups (got in_channels=" + inChannels
                    + ", groups=" + groups + ")");
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("out_channels must be divisible by groups (got out_channels="
                    + outChannels + ", groups=" + groups + ")");
        }
    }

    private static void checkKernel(IntPair kernelSize) {
        if (kernelSize.height() <= 0 || kernelSize.width() <= 0) {
            throw new IllegalArgumentException("kernel_size must be positive, but got kernel_size=" + kernelSize);
        }
    }

    static void checkStrideAndDilation(CommonConfig common) {
        IntPair stride = common.stride();
        IntPair dilation = common.dilation();
        if (stride.height() <= 0 || stride.width() <= 0) {
            throw new IllegalArgumentException("non-positive stride is not supported (got stride=" + stride + ")");
        }
        if (dilation.height() <= 0 || dilation.width() <= 0) {
            throw new IllegalArgumentException("dilation should be greater than zero (got dilation=" + dilation + ")");
        }
    }

    static void checkPaddingNotNegative(String name, IntPair amounts) {
        if (amounts.height() < 0 || amounts.width() < 0) {
            throw new IllegalArgumentException(
                    "negative " + name + " is not supported (got " + name + "=" + amounts + ")");
        }
    }
}
