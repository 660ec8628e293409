package dev.jconv.backend.java;

import dev.jconv.Activation;
import dev.jconv.geometry.ChannelAffineGeometry;

/**
 * The elementwise op on the heap, in chunks of consecutive elements (so a large plane still spreads over the cores
 * and many tiny planes are not one task each): each value becomes {@code fma(x, scale, shift)}, one rounding as in
 * the OpenCL kernel, and then the activation.
 */
final class JavaChannelAffine {

    private static final int CHUNK_FLOATS = 16 * 1024;

    private JavaChannelAffine() {}

    static void run(
            ChannelAffineGeometry g,
            float[] input,
            float[] scale,
            float[] shift,
            float[] output,
            ParallelRunner runner) {
        int elements = g.elements();
        Activation activation = g.activation();
        runner.forEach(ImplicitGemm.ceilDiv(elements, CHUNK_FLOATS), task -> {
            int from = task * CHUNK_FLOATS;
            int to = Math.min(elements, from + CHUNK_FLOATS);
            if (g.affine()) {
                for (int start = from; start < to; ) {
                    int plane = start / g.planeSize();
                    int end = Math.min(to, (plane + 1) * g.planeSize());
                    float channelScale = scale[plane % g.channels()];
                    float channelShift = shift[plane % g.channels()];
                    for (int i = start; i < end; i++) {
                        output[i] = Math.fma(input[i], channelScale, channelShift);
                    }
                    start = end;
                }
            } else {
                System.arraycopy(input, from, output, from, to - from);
            }
            activation.applyInPlace(output, from, to);
        });
    }
}
