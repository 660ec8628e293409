package dev.jconv.geometry;

import dev.jconv.IntPair;

/** How the kernel moves over the input, the same for both ops: its size, its stride and the dilation of its taps. */
public record KernelWindow(IntPair size, IntPair stride, IntPair dilation) {

    static KernelWindow of(ConvConfig config) {
        CommonConfig common = config.common();
        return new KernelWindow(common.kernelSize(), common.stride(), common.dilation());
    }

    /** The rows the dilated kernel spans: {@code dilation * (kernel - 1) + 1}. */
    long dilatedHeight() {
        return (long) dilation.height() * (size.height() - 1) + 1;
    }

    /** The columns the dilated kernel spans: {@code dilation * (kernel - 1) + 1}. */
    long dilatedWidth() {
        return (long) dilation.width() * (size.width() - 1) + 1;
    }
}
