package dev.jconv.backend.opencl;

import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Which kernel variant runs an op and with which parameters: what the tuner, the tuning file and the defaults table
 * produce, and all the backend needs to plan a launch.
 *
 * <ul>
 *   <li>{@code direct}: the CPU-shaped direct kernels of {@code conv2d.cl} and {@code conv_transpose2d.cl}, with tiles
 *       from the device type's {@link Tuning} row (the heuristics that predate the tuner);</li>
 *   <li>{@code gemm}: the implicit-GEMM kernel of {@code conv_gemm.cl} with {@link GemmParameters}.</li>
 * </ul>
 *
 * @param gemm null for the direct variant
 */
record KernelChoice(Variant variant, GemmParameters gemm) {

    enum Variant {
        DIRECT, GEMM;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final KernelChoice DIRECT = new KernelChoice(Variant.DIRECT, null);

    static KernelChoice gemm(GemmParameters parameters) {
        return new KernelChoice(Variant.GEMM, parameters);
    }

    KernelLaunch launch(Conv2dGeometry geometry, Tuning tuning) {
        return variant == Variant.DIRECT ? Conv2dPlan.of(geometry, tuning) : GemmPlan.of(geometry, gemm);
    }

    KernelLaunch launch(ConvTranspose2dGeometry geometry, Tuning tuning) {
        return variant == Variant.DIRECT ? ConvTranspose2dPlan.of(geometry, tuning) : GemmPlan.of(geometry, gemm);
    }

    /**
     * Parses {@code direct}, {@code gemm:MWG=64,NWG=64,...}; plain {@code gemm} takes {@code defaultGemm}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    static KernelChoice parse(String text, GemmParameters defaultGemm) {
        String trimmed = text.trim();
        if (trimmed.equals("direct")) {
            return DIRECT;
        }
        if (trimmed.equals("gemm")) {
            return gemm(defaultGemm);
        }
        if (trimmed.startsWith("gemm:")) {
            return gemm(GemmParameters.parse(trimmed.substring("gemm:".length())));
        }
        throw new IllegalArgumentException("kernel variant must be direct, gemm or gemm:NAME=VALUE,..., but got '"
                + text + "'");
    }

    @Override
    public String toString() {
        return gemm == null ? variant.label() : variant.label() + ":" + gemm;
    }
}
