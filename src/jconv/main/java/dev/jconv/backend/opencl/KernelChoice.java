package dev.jconv.backend.opencl;

import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Locale;

/**
 * Which kernel variant runs an op and with which parameters: what the tuner, the tuning file and the defaults table
 * produce, and all the backend needs to plan a launch.
 *
 * <ul>
 *   <li>{@code direct}: the CPU-shaped direct kernels of {@code conv2d.cl} and {@code conv_transpose2d.cl}, with
 *       {@link DirectParameters}, or the device type's {@link Tuning} row when none are given;</li>
 *   <li>{@code gemm}: the implicit-GEMM kernel of {@code conv_gemm.cl} with {@link GemmParameters}.</li>
 * </ul>
 *
 * @param direct the direct variant's parameters; null for the device type's row (and for gemm)
 * @param gemm   the GEMM variant's parameters; null for direct
 */
record KernelChoice(Variant variant, DirectParameters direct, GemmParameters gemm) {

    enum Variant {
        DIRECT,
        GEMM;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The direct kernels with the device type's table row: the heuristics that predate the tuner. */
    static final KernelChoice DIRECT = new KernelChoice(Variant.DIRECT, null, null);

    static KernelChoice direct(DirectParameters parameters) {
        return new KernelChoice(Variant.DIRECT, parameters, null);
    }

    static KernelChoice gemm(GemmParameters parameters) {
        return new KernelChoice(Variant.GEMM, null, parameters);
    }

    KernelLaunch launch(Conv2dGeometry geometry, Tuning row) {
        return variant == Variant.DIRECT ? Conv2dPlan.of(geometry, directRow(row)) : GemmPlan.of(geometry, gemm);
    }

    KernelLaunch launch(ConvTranspose2dGeometry geometry, Tuning row) {
        return variant == Variant.DIRECT
                ? ConvTranspose2dPlan.of(geometry, directRow(row))
                : GemmPlan.of(geometry, gemm);
    }

    /** The launch for either convolution's geometry. */
    KernelLaunch launch(ConvGeometry geometry, Tuning row) {
        return geometry instanceof Conv2dGeometry conv
                ? launch(conv, row)
                : launch((ConvTranspose2dGeometry) geometry, row);
    }

    private Tuning directRow(Tuning row) {
        return direct == null ? row : direct.applyTo(row);
    }

    /** Why this choice cannot run on a device with these limits, or null when it can. */
    String problemFor(DeviceLimits limits) {
        if (gemm != null) {
            return gemm.problemFor(limits.maxWorkGroupSize(), limits.localMemoryBytes());
        }
        return direct == null ? null : direct.problemFor(limits.maxWorkGroupSize());
    }

    /**
     * Parses what {@link #toString} writes: {@code direct}, {@code direct:OC=16,...}, {@code gemm:MWG=64,...};
     * plain {@code gemm} takes {@code defaultGemm}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    static KernelChoice parse(String text, GemmParameters defaultGemm) {
        String trimmed = text.trim();
        if (trimmed.equals("direct")) {
            return DIRECT;
        }
        if (trimmed.startsWith("direct:")) {
            return direct(DirectParameters.SPACE.parse(trimmed.substring("direct:".length())));
        }
        if (trimmed.equals("gemm") && defaultGemm != null) {
            return gemm(defaultGemm);
        }
        if (trimmed.startsWith("gemm:")) {
            return gemm(GemmParameters.SPACE.parse(trimmed.substring("gemm:".length())));
        }
        throw new IllegalArgumentException("kernel must be direct, direct:NAME=VALUE,..., gemm or "
                + "gemm:NAME=VALUE,..., but got '" + text + "'");
    }

    @Override
    public String toString() {
        Object parameters = gemm != null ? gemm : direct;
        return parameters == null ? variant.label() : variant.label() + ":" + parameters;
    }
}
