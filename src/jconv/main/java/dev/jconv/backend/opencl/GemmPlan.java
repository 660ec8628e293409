package dev.jconv.backend.opencl;

import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
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
        KernelLaunch.Defines defines =
                common(g, parameters).set("TRANSPOSED", false).padding(g);
        long pixels = (long) g.batch() * g.outHeight() * g.outWidth();
        return launch(g, defines, pixels, g.groups(), parameters);
    }

    static KernelLaunch of(ConvTranspose2dGeometry g, GemmParameters parameters) {
        KernelLaunch.Defines defines = common(g, parameters)
                .set("TRANSPOSED", true)
                .set("PH", g.padding().height())
                .set("PW", g.padding().width())
                .set("KY_STEP", tapStep(g.strideHeight(), g.dilationHeight()))
                .set("KX_STEP", tapStep(g.strideWidth(), g.dilationWidth()));
        // Phase (0, 0) has the most pixels: every other phase's work-groups past its end return at once.
        long pixels =
                (long) g.batch() * ceilDiv(g.outHeight(), g.strideHeight()) * ceilDiv(g.outWidth(), g.strideWidth());
        long slices = (long) g.groups() * g.strideHeight() * g.strideWidth();
        return launch(g, defines, pixels, slices, parameters);
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
    private static KernelLaunch.Defines common(ConvGeometry g, GemmParameters parameters) {
        return parameters.addTo(new KernelLaunch.Defines().convolution(g).set("GROUPS", g.groups()));
    }

    private static KernelLaunch launch(
            ConvGeometry g, KernelLaunch.Defines defines, long pixels, long slices, GemmParameters parameters) {
        long[] global = {
            ceilDiv(pixels, parameters.nwg()) * parameters.ndimc(),
            ceilDiv(g.outChannelsPerGroup(), parameters.mwg()) * parameters.mdimc(),
            slices
        };
        long[] local = {parameters.ndimc(), parameters.mdimc(), 1};
        int[] sizes = KernelLaunch.planeSizes(g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), g.batch());
        return new KernelLaunch(SOURCE, KERNEL, defines.options(), global, local, sizes);
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
