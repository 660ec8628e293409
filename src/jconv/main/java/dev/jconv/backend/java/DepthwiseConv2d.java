package dev.jconv.backend.java;

import dev.jconv.geometry.Conv2dGeometry;
import java.util.Arrays;

/**
 * Conv2d with one input channel per group, one (image, output channel) plane per task. The input plane is first
 * copied with its padding resolved, so each kernel tap becomes a multiply-add of a shifted input into the output,
 * which the micro-kernel vectorises. With stride 1 the output is computed on the padded plane's row pitch, so the
 * whole plane is one long sum of shifted planes ({@link MicroKernel#shiftedSum}) rather than short rows.
 */
final class DepthwiseConv2d {

    private DepthwiseConv2d() {}

    static void run(Conv2dGeometry g, Operands data, MicroKernel kernel, ParallelRunner runner) {
        int[] rowSource =
                PaddedInput.axis(g.inHeight(), g.padding().top(), g.padding().bottom(), g.paddingMode());
        int[] columnSource =
                PaddedInput.axis(g.inWidth(), g.padding().left(), g.padding().right(), g.paddingMode());
        runner.forEach(g.batch() * g.outChannels(), task -> {
            int image = task / g.outChannels();
            int outChannel = task % g.outChannels();
            plane(g, data, kernel, image, outChannel, rowSource, columnSource);
        });
    }

    private static void plane(
            Conv2dGeometry g,
            Operands data,
            MicroKernel kernel,
            int image,
            int outChannel,
            int[] rowSource,
            int[] columnSource) {
        int inChannel = outChannel / g.outChannelsPerGroup();
        int paddedWidth = columnSource.length;
        float[] padded = Scratch.current().floats(Scratch.Floats.PLANE, rowSource.length * paddedWidth);
        PaddedInput.fillPlane(
                data.input(),
                (image * g.inChannels() + inChannel) * g.inHeight() * g.inWidth(),
                g.inWidth(),
                g.padding().left(),
                rowSource,
                columnSource,
                padded,
                0);
        int weightOffset = outChannel * g.kernelHeight() * g.kernelWidth();
        int outOffset = (image * g.outChannels() + outChannel) * g.outHeight() * g.outWidth();
        float initial = data.bias() == null ? 0f : data.bias()[outChannel];
        Plane work = new Plane(
                g, padded, paddedWidth, data.weight(), weightOffset, initial, data.output(), outOffset, kernel);
        if (g.strideHeight() == 1 && g.strideWidth() == 1) {
            work.wholePlane();
        } else {
            work.rowByRow();
        }
        // The plane was just written by this task and is still in cache: the epilogue costs no extra memory pass.
        g.activation().applyInPlace(data.output(), outOffset, outOffset + g.outHeight() * g.outWidth());
    }

    /**
     * One output plane's work once its input is padded: the padded plane and its pitch, the plane's filter, its bias as
     * the sums' initial value, and where its outputs go. Both ways of computing the plane read all of these.
     */
    private record Plane(
            Conv2dGeometry g,
            float[] padded,
            int paddedWidth,
            float[] weight,
            int weightOffset,
            float initial,
            float[] output,
            int outOffset,
            MicroKernel kernel) {

        /**
         * Stride 1: all taps are summed in registers over outHeight rows of the padded pitch, in one pass that stores
         * each output once (a multiply-add over the plane per tap, as before, loaded and stored every output once per
         * tap and ran at a quarter of the speed); the extra columns are dropped.
         */
        void wholePlane() {
            int length = (g.outHeight() - 1) * paddedWidth + g.outWidth();
            Scratch scratch = Scratch.current();
            float[] sums = scratch.floats(Scratch.Floats.SUMS, length);
            int taps = g.kernelHeight() * g.kernelWidth();
            int[] shifts = scratch.ints(Scratch.Ints.TAP_OFFSETS, taps);
            for (int ky = 0, t = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < g.kernelWidth(); kx++, t++) {
                    shifts[t] = ky * g.dilationHeight() * paddedWidth + kx * g.dilationWidth();
                }
            }
            kernel.shiftedSum(
                    initial, new MicroKernel.ShiftedTaps(weight, weightOffset, shifts, taps), padded, sums, length);
            for (int row = 0; row < g.outHeight(); row++) {
                System.arraycopy(sums, row * paddedWidth, output, outOffset + row * g.outWidth(), g.outWidth());
            }
        }

        /** Any other stride: one multiply-add per tap and output row. */
        void rowByRow() {
            int outWidth = g.outWidth();
            int kernelWidth = g.kernelWidth();
            Arrays.fill(output, outOffset, outOffset + g.outHeight() * outWidth, initial);
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
                                output[rowOffset + x] =
                                        Math.fma(w, padded[first + x * g.strideWidth()], output[rowOffset + x]);
                            }
                        }
                    }
                }
            }
        }
    }
}
