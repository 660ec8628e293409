package dev.jconv.backend.java;

import dev.jconv.geometry.Conv2dGeometry;

/**
 * The test oracle for Conv2d: the Java backend's first, deliberately simple implementation, kept unchanged but for
 * its name. One (image, output channel) plane per task. Padding is resolved through precomputed
 * row and column maps, so every padding mode costs the same and no padded copy is made.
 */
final class ReferenceConv2d {

    private ReferenceConv2d() {}

    static void run(
            Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] output, ParallelRunner runner) {
        int[] rowSource = sourceMap(
                g.outHeight(),
                g.kernelHeight(),
                g.strideHeight(),
                g.padding().top(),
                g.dilationHeight(),
                g.inHeight(),
                g);
        int[] columnSource = sourceMap(
                g.outWidth(), g.kernelWidth(), g.strideWidth(), g.padding().left(), g.dilationWidth(), g.inWidth(), g);
        runner.forEach(g.batch() * g.outChannels(), task -> {
            int image = task / g.outChannels();
            int outChannel = task % g.outChannels();
            plane(g, input, weight, bias, output, image, outChannel, rowSource, columnSource);
        });
    }

    /** For each (output coordinate, kernel tap), the input coordinate it reads, or {@link PaddedIndex#ZERO}. */
    private static int[] sourceMap(
            int outSize, int kernel, int stride, int padBefore, int dilation, int inSize, Conv2dGeometry g) {
        int[] map = new int[outSize * kernel];
        for (int out = 0; out < outSize; out++) {
            for (int tap = 0; tap < kernel; tap++) {
                map[out * kernel + tap] =
                        PaddedIndex.source(out * stride - padBefore + tap * dilation, inSize, g.paddingMode());
            }
        }
        return map;
    }

    private static void plane(
            Conv2dGeometry g,
            float[] input,
            float[] weight,
            float[] bias,
            float[] output,
            int image,
            int outChannel,
            int[] rowSource,
            int[] columnSource) {
        int inPlane = g.inHeight() * g.inWidth();
        int outWidth = g.outWidth();
        int kernelHeight = g.kernelHeight();
        int kernelWidth = g.kernelWidth();
        int channelsPerGroup = g.inChannelsPerGroup();
        int firstInChannel = outChannel / g.outChannelsPerGroup() * channelsPerGroup;
        int outBase = (image * g.outChannels() + outChannel) * g.outHeight() * outWidth;
        float initial = bias == null ? 0f : bias[outChannel];
        float[] row = new float[outWidth];
        for (int outRow = 0; outRow < g.outHeight(); outRow++) {
            java.util.Arrays.fill(row, initial);
            for (int c = 0; c < channelsPerGroup; c++) {
                int inBase = (image * g.inChannels() + firstInChannel + c) * inPlane;
                int weightBase = ((outChannel * channelsPerGroup) + c) * kernelHeight * kernelWidth;
                for (int ky = 0; ky < kernelHeight; ky++) {
                    int sourceRow = rowSource[outRow * kernelHeight + ky];
                    if (sourceRow == PaddedIndex.ZERO) {
                        continue;
                    }
                    int rowBase = inBase + sourceRow * g.inWidth();
                    for (int kx = 0; kx < kernelWidth; kx++) {
                        float w = weight[weightBase + ky * kernelWidth + kx];
                        for (int outColumn = 0; outColumn < outWidth; outColumn++) {
                            int sourceColumn = columnSource[outColumn * kernelWidth + kx];
                            if (sourceColumn != PaddedIndex.ZERO) {
                                row[outColumn] += w * input[rowBase + sourceColumn];
                            }
                        }
                    }
                }
            }
            System.arraycopy(row, 0, output, outBase + outRow * outWidth, outWidth);
        }
    }
}
