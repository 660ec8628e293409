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
     * PyTorch's repr of either op, {@code Name(in, out, kernel_size=(kH, kW), stride=(sH, sW), ...)}: the op's own
     * padding keywords come after the stride and its own last keywords at the end, with the shared dilation, groups
     * and bias between; each keyword only when it is not PyTorch's default.
     */
    static String repr(String name, ConvConfig config, String paddingKeywords, String lastKeywords) {
        return name + "(" + config.inChannels() + ", " + config.outChannels() + ", kernel_size=" + config.kernelSize()
                + ", stride=" + config.stride() + paddingKeywords
                + keyword("dilation", config.dilation(), IntPair.of(1))
                + keyword("groups", config.groups(), 1)
                + keyword("bias", config.bias() ? "True" : "False", "True")
                + lastKeywords + ")";
    }

    /** {@code ", name=value"}, or nothing when the value is PyTorch's default. */
    static String keyword(String name, Object value, Object defaultValue) {
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

    static void checkStrideAndDilation(IntPair stride, IntPair dilation) {
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
