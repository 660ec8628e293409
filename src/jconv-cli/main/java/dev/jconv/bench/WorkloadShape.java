package dev.jconv.bench;

import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.Tensor;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.SplittableRandom;

/**
 * One row of a benchmark workload: an op and its sizes, with square kernel, stride, padding and dilation, as the
 * workload CSV's columns give them.
 */
public record WorkloadShape(
        String name,
        String op,
        int batch,
        int inChannels,
        int height,
        int width,
        int outChannels,
        int kernel,
        int stride,
        int padding,
        int dilation,
        int groups,
        int outputPadding) {

    public boolean isTransposed() {
        return op.equals("conv_transpose2d");
    }

    /**
     * The name with the sizes that set the cost, for charts and tables: for example
     * {@code "resnet3x3 1x64x56x56 -> 64 k3 s1"}, with {@code T} after the name for ConvTranspose2d, and the
     * dilation and groups only when they are not 1.
     */
    public String label() {
        StringBuilder label = new StringBuilder(name)
                .append(isTransposed() ? " T " : " ")
                .append(batch)
                .append('x')
                .append(inChannels)
                .append('x')
                .append(height)
                .append('x')
                .append(width)
                .append(" -> ")
                .append(outChannels)
                .append(" k")
                .append(kernel)
                .append(" s")
                .append(stride);
        if (dilation != 1) {
            label.append(" d").append(dilation);
        }
        if (groups != 1) {
            label.append(" g").append(groups);
        }
        return label.toString();
    }

    public int[] inputShape() {
        return new int[] {batch, inChannels, height, width};
    }

    /** A module for this shape with PyTorch's default (random) parameters; bias on, as nn modules default. */
    public ConvModule<?, ?> newModule() {
        if (isTransposed()) {
            return ConvTranspose2d.builder(inChannels, outChannels, kernel)
                    .stride(stride)
                    .padding(padding)
                    .outputPadding(outputPadding)
                    .groups(groups)
                    .dilation(dilation)
                    .build();
        }
        return Conv2d.builder(inChannels, outChannels, kernel)
                .stride(stride)
                .padding(padding)
                .dilation(dilation)
                .groups(groups)
                .build();
    }

    /**
     * The benchmark's input for this shape: uniform in [-1, 1) from a fixed seed, so every device and ONNX Runtime
     * see the same numbers.
     */
    public Tensor randomInput() {
        float[] values = new float[Math.toIntExact((long) batch * inChannels * height * width)];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return Tensor.of(values, inputShape());
    }

    /** The output's shape, [N, C, H, W], by the library's own rules. */
    public int[] outputShape() {
        return isTransposed() ? transposedGeometry().outputShape() : geometry().outputShape();
    }

    /**
     * Multiply-adds, as the workload's shapes imply: for Conv2d every output element sums in/groups x kH x kW
     * products; for ConvTranspose2d every input element meets out/groups x kH x kW weights. FLOPs are twice this.
     */
    public long multiplyAdds() {
        return isTransposed() ? transposedGeometry().multiplyAdds() : geometry().multiplyAdds();
    }

    /** The hyper-parameters both ops take; every workload convolution has a bias. */
    private CommonConfig common() {
        return new CommonConfig(
                inChannels, outChannels, IntPair.of(kernel), IntPair.of(stride), IntPair.of(dilation), groups, true);
    }

    private Conv2dGeometry geometry() {
        return Conv2dGeometry.of(new Conv2dConfig(common(), Padding.of(padding), PaddingMode.ZEROS), inputShape());
    }

    private ConvTranspose2dGeometry transposedGeometry() {
        return ConvTranspose2dGeometry.of(
                new ConvTranspose2dConfig(common(), IntPair.of(padding), IntPair.of(outputPadding)),
                inputShape(),
                null);
    }
}
