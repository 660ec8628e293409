package dev.jconv.bench;

import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.IntPair;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * One row of a benchmark workload: an op and its sizes, with square kernel, stride, padding and dilation, as the
 * workload CSV's columns give them.
 */
public record WorkloadShape(String name, String op, int batch, int inChannels, int height, int width,
                            int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                            int outputPadding) {

    public boolean isTransposed() {
        return op.equals("conv_transpose2d");
    }

    public int[] inputShape() {
        return new int[] {batch, inChannels, height, width};
    }

    /** A module for this shape with PyTorch's default (random) parameters; bias on, as nn modules default. */
    public ConvModule newModule() {
        if (isTransposed()) {
            return ConvTranspose2d.builder(inChannels, outChannels, kernel).stride(stride).padding(padding)
                    .outputPadding(outputPadding).groups(groups).dilation(dilation).build();
        }
        return Conv2d.builder(inChannels, outChannels, kernel).stride(stride).padding(padding).dilation(dilation)
                .groups(groups).build();
    }

    /**
     * Multiply-adds, as the workload's shapes imply: for Conv2d every output element sums in/groups x kH x kW
     * products; for ConvTranspose2d every input element meets out/groups x kH x kW weights. FLOPs are twice this.
     */
    public long multiplyAdds() {
        if (isTransposed()) {
            return ConvTranspose2dGeometry.of(new ConvTranspose2dConfig(inChannels, outChannels, IntPair.of(kernel),
                    IntPair.of(stride), IntPair.of(padding), IntPair.of(outputPadding), groups, true,
                    IntPair.of(dilation)), inputShape(), null).multiplyAdds();
        }
        return Conv2dGeometry.of(new Conv2dConfig(inChannels, outChannels, IntPair.of(kernel), IntPair.of(stride),
                dev.jconv.Padding.of(padding), IntPair.of(dilation), groups, true, dev.jconv.PaddingMode.ZEROS),
                inputShape()).multiplyAdds();
    }
}
