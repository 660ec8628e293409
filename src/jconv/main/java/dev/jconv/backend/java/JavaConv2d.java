package dev.jconv.backend.java;

import dev.jconv.IntPair;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.List;

/**
 * Conv2d forward on the heap. A convolution with one input channel per group (depthwise) has too short a sum for a
 * matrix product and runs as {@link DepthwiseConv2d}; every other one is an implicit GEMM per (image, group), whose
 * B matrix is read in place from a {@link PaddedInput} (split into stride phases when strided), else gathered
 * through the padding-aware maps of each {@link Axis}, so every padding mode costs the same.
 */
final class JavaConv2d {

    private JavaConv2d() {}

    static void run(Conv2dGeometry g, Operands data, MicroKernel kernel, ParallelRunner runner, BMatrixSource source) {
        if (g.inChannelsPerGroup() == 1) {
            DepthwiseConv2d.run(g, data, kernel, runner);
            return;
        }
        int[] rowSource = Axis.rows(g, g.padding().top()).convolution(g.paddingMode());
        int[] columnSource = Axis.columns(g, g.padding().left()).convolution(g.paddingMode());
        // The weight [out, in/groups, kH, kW] already is A: row m holds (channel, ky, kx) in the order B's rows use.
        GatherGemm problem = new GatherGemm(
                g.sizes(),
                g.activation(),
                data.weight(),
                0,
                data.bias(),
                new GatherGemm.Taps(g.kernelHeight(), g.kernelWidth(), rowSource, columnSource),
                new GatherGemm.OutputGrid(g.outHeight(), g.outWidth(), 0, g.outWidth(), 1));
        ImplicitGemm.InPlace inPlace = null;
        if (readsInPlace(g, source)) {
            PaddedInput padded =
                    PaddedInput.forConvolution(g, data.input(), IntPair.of(g.strideHeight(), g.strideWidth()), runner);
            // Output (y, x) reads padded (y * stride + ky * dilation, x * stride + kx * dilation), which the phase
            // split of a strided padded copy makes position (y, x) of one phase plane, shifted by the tap.
            inPlace = ImplicitGemm.InPlace.of(
                    padded,
                    tapShifts(g.kernelHeight(), g.dilationHeight()),
                    tapShifts(g.kernelWidth(), g.dilationWidth()));
        }
        ImplicitGemm.runAll(
                List.of(new ImplicitGemm(problem, kernel, inPlace, runner.threads())),
                data.input(),
                data.output(),
                runner);
    }

    /** True when this call's B is read in place from a padded copy of the input rather than packed. */
    static boolean readsInPlace(Conv2dGeometry g, BMatrixSource source) {
        return g.inChannelsPerGroup() > 1 && source.readsInPlace(g.outWidth(), g.kernelHeight() * g.kernelWidth());
    }

    private static int[] tapShifts(int kernel, int dilation) {
        int[] shifts = new int[kernel];
        for (int tap = 0; tap < kernel; tap++) {
            shifts[tap] = tap * dilation;
        }
        return shifts;
    }
}
