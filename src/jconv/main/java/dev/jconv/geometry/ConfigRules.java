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

    /** The repr's start, the same for both ops: {@code Name(in, out, kernel_size=(kH, kW), stride=(sH, sW)}. */
    static StringBuilder reprStart(String name, ConvConfig config) {
        return new StringBuilder(name)
                .append('(')
                .append(config.inChannels())
                .append(", ")
                .append(config.outChannels())
                .append(", kernel_size=")
                .append(config.kernelSize())
                .append(", stride=")
                .append(config.stride());
    }

    /** The repr's dilation, groups and bias keywords, each only when it is not PyTorch's default. */
    static void appendSharedKeywords(StringBuilder text, ConvConfig config) {
        if (!config.dilation().equals(IntPair.of(1))) {
            text.append(", dilation=").append(config.dilation());
        }
        if (config.groups() != 1) {
            text.append(", groups=").append(config.groups());
        }
        if (!config.bias()) {
            text.append(", bias=False");
        }
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
