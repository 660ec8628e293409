package dev.jconv.backend.opencl;

import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Turns a geometry and a {@link GemmParameters} set into a launch of {@code conv_gemm.cl}: NDRange dimension 0 covers
 * the pixels in NWG tiles, dimension 1 a group's output channels in MWG tiles, dimension 2 the groups (times the
 * stride phases for ConvTranspose2d). Accepts every geometry.
 */
final class GemmPlan {

    static final String SOURCE = "conv_gemm.cl";
    static final String KERNEL = "conv_gemm";

    private GemmPlan() {}

    static KernelLaunch of(Conv2dGeometry g, GemmParameters parameters) {
        KernelLaunch.Defines defines = common(
                        g.inChannels(),
                        g.outChannels(),
                        g.groups(),
                        g.kernelHeight(),
                        g.kernelWidth(),
                        g.strideHeight(),
                        g.strideWidth(),
                        g.dilationHeight(),
                        g.dilationWidth(),
                        g.hasBias(),
                        parameters)
                .set("TRANSPOSED", false)
                .activation(g.activation())
                .set("PAD_TOP", g.padTop())
                .set("PAD_LEFT", g.padLeft())
                .set("PAD_MODE", g.paddingMode().ordinal());
        long pixels = (long) g.batch() * g.outHeight() * g.outWidth();
        return launch(
                defines,
                pixels,
                g.outChannelsPerGroup(),
                g.groups(),
                parameters,
                KernelLaunch.planeSizes(g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), g.batch()));
    }

    static KernelLaunch of(ConvTranspose2dGeometry g, GemmParameters parameters) {
        KernelLaunch.Defines defines = common(
                        g.inChannels(),
                        g.outChannels(),
                        g.groups(),
                        g.kernelHeight(),
                        g.kernelWidth(),
                        g.strideHeight(),
                        g.strideWidth(),
                        g.dilationHeight(),
                        g.dilationWidth(),
                        g.hasBias(),
                        parameters)
                .set("TRANSPOSED", true)
                .activation(g.activation())
                .set("PH", g.padHeight())
                .set("PW", g.padWidth())
                .set("KY_STEP", tapStep(g.strideHeight(), g.dilationHeight()))
                .set("KX_STEP", tapStep(g.strideWidth(), g.dilationWidth()));
        // Phase (0, 0) has the most pixels: every other phase's work-groups past its end return at once.
        long pixels =
                (long) g.batch() * ceilDiv(g.outHeight(), g.strideHeight()) * ceilDiv(g.outWidth(), g.strideWidth());
        long slices = (long) g.groups() * g.strideHeight() * g.strideWidth();
        return launch(
                defines,
                pixels,
                g.outChannelsPerGroup(),
                slices,
                parameters,
                KernelLaunch.planeSizes(g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), g.batch()));
    }

    /** Taps that reach the same output phase are this far apart: stride / gcd(stride, dilation). */
    static int tapStep(int stride, int dilation) {
        int a = stride;
        int b = dilation;
        while (b != 0) {
            int rest = a % b;
            a = b;
            b = rest;
        }
        return stride / a;
    }

    /** The build options both ops share; sizes are kernel arguments (see {@link KernelLaunch#planeSizes}). */
    private static KernelLaunch.Defines common(
            int inChannels,
            int outChannels,
            int groups,
            int kernelHeight,
            int kernelWidth,
            int strideHeight,
            int strideWidth,
            int dilationHeight,
            int dilationWidth,
            boolean hasBias,
            GemmParameters parameters) {
        KernelLaunch.Defines defines = new KernelLaunch.Defines()
                .set("IN_C", inChannels)
                .set("OUT_C", outChannels)
                .set("CIN_G", inChannels / groups)
                .set("COUT_G", outChannels / groups)
                .set("GROUPS", groups)
                .set("KH", kernelHeight)
                .set("KW", kernelWidth)
                .set("SH", strideHeight)
                .set("SW", strideWidth)
                .set("DH", dilationHeight)
                .set("DW", dilationWidth)
                .set("HAS_BIAS", hasBias);
        return parameters.addTo(defines);
    }

    private static KernelLaunch launch(
            KernelLaunch.Defines defines,
            long pixels,
            int channelsPerGroup,
            long slices,
            GemmParameters parameters,
            int[] sizeArguments) {
        long[] global = {
            ceilDiv(pixels, parameters.nwg()) * parameters.ndimc(),
            ceilDiv(channelsPerGroup, parameters.mwg()) * parameters.mdimc(),
            slices
        };
        long[] local = {parameters.ndimc(), parameters.mdimc(), 1};
        return new KernelLaunch(SOURCE, KERNEL, defines.options(), global, local, sizeArguments);
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
