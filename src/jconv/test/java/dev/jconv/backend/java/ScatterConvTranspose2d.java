package dev.jconv.backend.java;

import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Arrays;

/**
 * A second, independent ConvTranspose2d oracle: the textbook scatter, in which every input element adds its product
 * with every kernel tap into the output it lands on. It shares no index algebra with the gathers, so agreement
 * between them checks that algebra.
 */
final class ScatterConvTranspose2d {

    private ScatterConvTranspose2d() {}

    static float[] run(ConvTranspose2dGeometry g, float[] input, float[] weight, float[] bias) {
        float[] output = new float[Math.toIntExact(g.outputElements())];
        int outPlane = g.outHeight() * g.outWidth();
        int outPerGroup = g.outChannelsPerGroup();
        int inPerGroup = g.inChannelsPerGroup();
        for (int image = 0; image < g.batch(); image++) {
            for (int outChannel = 0; outChannel < g.outChannels(); outChannel++) {
                Arrays.fill(
                        output,
                        (image * g.outChannels() + outChannel) * outPlane,
                        (image * g.outChannels() + outChannel + 1) * outPlane,
                        bias == null ? 0f : bias[outChannel]);
            }
            for (int inChannel = 0; inChannel < g.inChannels(); inChannel++) {
                int group = inChannel / inPerGroup;
                for (int i = 0; i < g.inHeight(); i++) {
                    for (int j = 0; j < g.inWidth(); j++) {
                        float value =
                                input[((image * g.inChannels() + inChannel) * g.inHeight() + i) * g.inWidth() + j];
                        for (int o = 0; o < outPerGroup; o++) {
                            int outChannel = group * outPerGroup + o;
                            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                                int y = i * g.strideHeight() - g.padding().height() + ky * g.dilationHeight();
                                if (y < 0 || y >= g.outHeight()) {
                                    continue;
                                }
                                for (int kx = 0; kx < g.kernelWidth(); kx++) {
                                    int x = j * g.strideWidth() - g.padding().width() + kx * g.dilationWidth();
                                    if (x < 0 || x >= g.outWidth()) {
                                        continue;
                                    }
                                    float w = weight[
                                            ((inChannel * outPerGroup + o) * g.kernelHeight() + ky) * g.kernelWidth()
                                                    + kx];
                                    output[(image * g.outChannels() + outChannel) * outPlane + y * g.outWidth() + x] +=
                                            value * w;
                                }
                            }
                        }
                    }
                }
            }
        }
        return output;
    }
}
