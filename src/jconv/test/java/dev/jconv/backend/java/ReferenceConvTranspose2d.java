package dev.jconv.backend.java;

import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * The test oracle for ConvTranspose2d: the Java backend's first, deliberately simple implementation, kept unchanged
 * but for its name. A gather: each output element sums the (input, tap) pairs that the textbook
 * scatter would send to it. No two tasks write the same element, so it needs no atomics and is deterministic.
 * Output coordinate o receives input i through tap k when {@code o = i * stride - padding + k * dilation}.
 */
final class ReferenceConvTranspose2d {

    private ReferenceConvTranspose2d() {}

    static void run(
            ConvTranspose2dGeometry g,
            float[] input,
            float[] weight,
            float[] bias,
            float[] output,
            ParallelRunner runner) {
        int[] rowSource = sourceMap(
                g.outHeight(),
                g.kernelHeight(),
                g.strideHeight(),
                g.padding().height(),
                g.dilationHeight(),
                g.inHeight());
        int[] columnSource = sourceMap(
                g.outWidth(), g.kernelWidth(), g.strideWidth(), g.padding().width(), g.dilationWidth(), g.inWidth());
        runner.forEach(g.batch() * g.outChannels(), task -> {
            int image = task / g.outChannels();
            int outChannel = task % g.outChannels();
            plane(g, input, weight, bias, output, image, outChannel, rowSource, columnSource);
        });
    }

    /** For each (output coordinate, tap), the input coordinate that reaches it through that tap, or -1 if none. */
    private static int[] sourceMap(int outSize, int kernel, int stride, int padding, int dilation, int inSize) {
        int[] map = new int[outSize * kernel];
        for (int out = 0; out < outSize; out++) {
            for (int tap = 0; tap < kernel; tap++) {
                int scaled = out + padding - tap * dilation;
                int source = -1;
                if (scaled >= 0 && scaled % stride == 0 && scaled / stride < inSize) {
                    source = scaled / stride;
                }
                map[out * kernel + tap] = source;
            }
        }
        return map;
    }

    private static void plane(
            ConvTranspose2dGeometry g,
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
        int outPerGroup = g.outChannelsPerGroup();
        int inPerGroup = g.inChannelsPerGroup();
        int group = outChannel / outPerGroup;
        int outInGroup = outChannel % outPerGroup;
        int outBase = (image * g.outChannels() + outChannel) * g.outHeight() * outWidth;
        float initial = bias == null ? 0f : bias[outChannel];
        float[] row = new float[outWidth];
        for (int outRow = 0; outRow < g.outHeight(); outRow++) {
            java.util.Arrays.fill(row, initial);
            for (int c = 0; c < inPerGroup; c++) {
                int inChannel = group * inPerGroup + c;
                int inBase = (image * g.inChannels() + inChannel) * inPlane;
                int weightBase = (inChannel * outPerGroup + outInGroup) * kernelHeight * kernelWidth;
                for (int ky = 0; ky < kernelHeight; ky++) {
                    int sourceRow = rowSource[outRow * kernelHeight + ky];
                    if (sourceRow < 0) {
                        continue;
                    }
                    int rowBase = inBase + sourceRow * g.inWidth();
                    for (int kx = 0; kx < kernelWidth; kx++) {
                        float w = weight[weightBase + ky * kernelWidth + kx];
                        for (int outColumn = 0; outColumn < outWidth; outColumn++) {
                            int sourceColumn = columnSource[outColumn * kernelWidth + kx];
                            if (sourceColumn >= 0) {
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
