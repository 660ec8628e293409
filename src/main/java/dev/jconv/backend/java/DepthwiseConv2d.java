package dev.jconv.backend.java;

import dev.jconv.geometry.Conv2dGeometry;
import java.util.Arrays;

/**
 * Conv2d with one input channel per group, one (image, output channel) plane per task. The input plane is first
 * copied with its padding resolved, so each kernel tap becomes a multiply-add of a shifted input row into an output
 * row, which the micro-kernel vectorises when the stride is 1.
 */
final class DepthwiseConv2d {

    private DepthwiseConv2d() {
    }

    static void run(Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                    MicroKernel kernel, ParallelRunner runner) {
        int[] rowSource = paddedAxis(g.inHeight(), g.padTop(), g.padBottom(), g);
        int[] columnSource = paddedAxis(g.inWidth(), g.padLeft(), g.padRight(), g);
        runner.forEach(g.batch() * g.outChannels(), task -> {
            int image = task / g.outChannels();
            int outChannel = task % g.outChannels();
            plane(g, input, weight, bias, output, kernel, image, outChannel, rowSource, columnSource);
        });
    }

    /** For each padded coordinate, the input coordinate that fills it, or {@link PaddedIndex#ZERO}. */
    private static int[] paddedAxis(int size, int before, int after, Conv2dGeometry g) {
        int[] map = new int[before + size + after];
        for (int padded = 0; padded < map.length; padded++) {
            map[padded] = PaddedIndex.source(padded - before, size, g.paddingMode());
        }
        return map;
    }

    private static void plane(Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                              MicroKernel kernel, int image, int outChannel, int[] rowSource, int[] columnSource) {
        int inChannel = outChannel / g.outChannelsPerGroup();
        int paddedWidth = columnSource.length;
        float[] padded = Scratch.current().plane(rowSource.length * paddedWidth);
        fillPadded(input, (image * g.inChannels() + inChannel) * g.inHeight() * g.inWidth(), g.inWidth(),
                rowSource, columnSource, padded);
        int outWidth = g.outWidth();
        int kernelWidth = g.kernelWidth();
        int weightOffset = outChannel * g.kernelHeight() * kernelWidth;
        int outOffset = (image * g.outChannels() + outChannel) * g.outHeight() * outWidth;
        Arrays.fill(output, outOffset, outOffset + g.outHeight() * outWidth, bias == null ? 0f : bias[outChannel]);
        for (int outRow = 0; outRow < g.outHeight(); outRow++) {
            int rowOffset = outOffset + outRow * outWidth;
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                int paddedRow = (outRow * g.strideHeight() + ky * g.dilationHeight()) * paddedWidth;
                for (int kx = 0; kx < kernelWidth; kx++) {
                    float w = weight[weightOffset + ky * kernelWidth + kx];
                    int first = paddedRow + kx * g.dilationWidth();
                    if (g.strideWidth() == 1) {
                        kernel.multiplyAdd(w, padded, first, output, rowOffset, outWidth);
                    } else {
                        for (int x = 0; x < outWidth; x++) {
                            output[rowOffset + x] = Math.fma(w, padded[first + x * g.strideWidth()],
                                    output[rowOffset + x]);
                        }
                    }
                }
            }
        }
    }

    private static void fillPadded(float[] input, int planeOffset, int inWidth, int[] rowSource, int[] columnSource,
                                   float[] padded) {
        int paddedWidth = columnSource.length;
        for (int row = 0; row < rowSource.length; row++) {
            int destination = row * paddedWidth;
            if (rowSource[row] == PaddedIndex.ZERO) {
                Arrays.fill(padded, destination, destination + paddedWidth, 0f);
                continue;
            }
            int source = planeOffset + rowSource[row] * inWidth;
            for (int column = 0; column < paddedWidth; column++) {
                int sourceColumn = columnSource[column];
                padded[destination + column] = sourceColumn == PaddedIndex.ZERO ? 0f : input[source + sourceColumn];
            }
        }
    }
}
