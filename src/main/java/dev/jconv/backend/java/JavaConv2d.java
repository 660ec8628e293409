package dev.jconv.backend.java;

import dev.jconv.geometry.Conv2dGeometry;

/**
 * Conv2d forward on the heap. A convolution with one input channel per group (depthwise) has too short a sum for a
 * matrix product and runs as {@link DepthwiseConv2d}; every other one is an implicit GEMM per (image, group), whose
 * B matrix is gathered through the padding-aware {@link SourceMaps}, so every padding mode costs the same.
 */
final class JavaConv2d {

    private JavaConv2d() {
    }

    static void run(Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                    MicroKernel kernel, ParallelRunner runner) {
        if (g.inChannelsPerGroup() == 1) {
            DepthwiseConv2d.run(g, input, weight, bias, output, kernel, runner);
            return;
        }
        int[] rowSource = SourceMaps.convolution(g.outHeight(), g.kernelHeight(), g.strideHeight(), g.padTop(),
                g.dilationHeight(), g.inHeight(), g.paddingMode());
        int[] columnSource = SourceMaps.convolution(g.outWidth(), g.kernelWidth(), g.strideWidth(), g.padLeft(),
                g.dilationWidth(), g.inWidth(), g.paddingMode());
        // The weight [out, in/groups, kH, kW] already is A: row m holds (channel, ky, kx) in the order B's rows use.
        GatherGemm problem = new GatherGemm(g.batch(), g.groups(), g.outChannelsPerGroup(), g.inChannelsPerGroup(),
                g.kernelHeight(), g.kernelWidth(), weight, 0, bias, g.activation(), g.inChannels(), g.inHeight(), g.inWidth(),
                rowSource, columnSource, g.outHeight(), g.outWidth(), g.outChannels(), g.outHeight() * g.outWidth(),
                0, g.outWidth(), 1);
        ImplicitGemm.run(problem, input, output, kernel, runner);
    }
}
