package dev.jconv.backend.java;

import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * ConvTranspose2d forward on the heap as a gather, split into sub-pixel phases. Outputs whose row is {@code ry} and
 * column is {@code rx} modulo the stride are reached only through a fixed subset of kernel taps, each at a fixed
 * input shift, so each phase is an ordinary correlation over the low-resolution input: an implicit GEMM that does
 * only multiply-adds that can be non-zero. Every output element belongs to exactly one phase and is written by
 * exactly one task, so there are no atomics and results are deterministic. With kernel == stride (and dilation 1)
 * each phase has one tap and is a plain matrix product.
 */
final class JavaConvTranspose2d {

    private JavaConvTranspose2d() {
    }

    static void run(ConvTranspose2dGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                    MicroKernel kernel, ParallelRunner runner) {
        for (int rowPhase = 0; rowPhase < g.strideHeight(); rowPhase++) {
            int gridHeight = SourceMaps.phaseSize(g.outHeight(), rowPhase, g.strideHeight());
            if (gridHeight == 0) {
                continue;
            }
            int[] rowTaps = SourceMaps.phaseTaps(rowPhase, g.kernelHeight(), g.strideHeight(), g.padHeight(),
                    g.dilationHeight());
            int[] rowSource = SourceMaps.transposedPhase(gridHeight, rowPhase, rowTaps, g.strideHeight(),
                    g.padHeight(), g.dilationHeight(), g.inHeight());
            for (int columnPhase = 0; columnPhase < g.strideWidth(); columnPhase++) {
                int gridWidth = SourceMaps.phaseSize(g.outWidth(), columnPhase, g.strideWidth());
                if (gridWidth == 0) {
                    continue;
                }
                int[] columnTaps = SourceMaps.phaseTaps(columnPhase, g.kernelWidth(), g.strideWidth(),
                        g.padWidth(), g.dilationWidth());
                int[] columnSource = SourceMaps.transposedPhase(gridWidth, columnPhase, columnTaps,
                        g.strideWidth(), g.padWidth(), g.dilationWidth(), g.inWidth());
                GatherGemm problem = new GatherGemm(g.batch(), g.groups(), g.outChannelsPerGroup(),
                        g.inChannelsPerGroup(), rowTaps.length, columnTaps.length,
                        phaseWeights(g, weight, rowTaps, columnTaps, runner), bias, g.activation(), g.inChannels(), g.inHeight(),
                        g.inWidth(), rowSource, columnSource, gridHeight, gridWidth, g.outChannels(),
                        g.outHeight() * g.outWidth(), rowPhase * g.outWidth() + columnPhase,
                        g.strideHeight() * g.outWidth(), g.strideWidth());
                ImplicitGemm.run(problem, input, output, kernel, runner);
            }
        }
    }

    /**
     * The phase's A matrix per group: row {@code out} holds, for each (in channel, row tap, column tap) in B's order,
     * the weight {@code W[in, out, rowTaps[t], columnTaps[u]]} of PyTorch's layout [in, out/groups, kH, kW]. Input
     * channels are split across the pool and read in memory order (out innermost), so each weight line is fetched once.
     */
    private static float[] phaseWeights(ConvTranspose2dGeometry g, float[] weight, int[] rowTaps, int[] columnTaps,
                                        ParallelRunner runner) {
        int outPerGroup = g.outChannelsPerGroup();
        int inPerGroup = g.inChannelsPerGroup();
        int taps = rowTaps.length * columnTaps.length;
        int depth = inPerGroup * taps;
        int kernelArea = g.kernelHeight() * g.kernelWidth();
        float[] phase = new float[g.groups() * outPerGroup * depth];
        int chunk = 64;
        runner.forEach(ImplicitGemm.ceilDiv(g.inChannels(), chunk), task -> {
            for (int in = task * chunk; in < Math.min(g.inChannels(), (task + 1) * chunk); in++) {
                int group = in / inPerGroup;
                int channel = in % inPerGroup;
                for (int out = 0; out < outPerGroup; out++) {
                    int source = (in * outPerGroup + out) * kernelArea;
                    int destination = (group * outPerGroup + out) * depth + channel * taps;
                    for (int rowTap : rowTaps) {
                        for (int columnTap : columnTaps) {
                            phase[destination++] = weight[source + rowTap * g.kernelWidth() + columnTap];
                        }
                    }
                }
            }
        });
        return phase;
    }
}
