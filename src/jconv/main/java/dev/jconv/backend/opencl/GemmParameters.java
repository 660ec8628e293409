package dev.jconv.backend.opencl;

import dev.jconv.backend.opencl.ParameterSpace.Axis;

/**
 * The tuning parameters of {@code conv_gemm.cl}, with CLBlast's Xgemm names: the work-group's tile of the output
 * matrix (MWG output channels x NWG pixels), the reduction slice (KWG), the work-group's shape (MDIMC x NDIMC, so
 * each work-item owns MWG/MDIMC x NWG/NDIMC outputs), and whether the slices of A (weights) and B (gathered input)
 * are staged in local memory (SA, SB).
 */
record GemmParameters(int mwg, int nwg, int kwg, int mdimc, int ndimc, boolean sa, boolean sb) {

    /** More accumulators than this per work-item spill on every device we know of. */
    static final int MAX_OUTPUTS_PER_ITEM = 128;

    /** The search space the tuner draws from (SA, SB: flags); every set is checked by {@link #problemFor} first. */
    static final ParameterSpace<GemmParameters> SPACE = new ParameterSpace<>(
            "GEMM",
            GemmParameters::of,
            GemmParameters::values,
            new Axis("MWG", 8, 16, 32, 64, 128),
            new Axis("NWG", 8, 16, 32, 64, 128),
            new Axis("KWG", 4, 8, 16, 32),
            new Axis("MDIMC", 1, 2, 4, 8, 16, 32),
            new Axis("NDIMC", 1, 2, 4, 8, 16, 32),
            new Axis("SA", 0, 1),
            new Axis("SB", 0, 1));

    /** Outputs one work-item accumulates. */
    int outputsPerItem() {
        return (mwg / mdimc) * (nwg / ndimc);
    }

    int workGroupSize() {
        return mdimc * ndimc;
    }

    long localMemoryBytes() {
        return 4L * kwg * ((sa ? mwg : 0) + (sb ? nwg : 0));
    }

    /**
     * Why this parameter set cannot run on a device with these limits, or null when it can. Checked before any
     * build, so the tuner never spends a compile on a set the device must refuse.
     */
    String problemFor(long maxWorkGroupSize, long localMemoryBytes) {
        if (mwg <= 0 || nwg <= 0 || kwg <= 0 || mdimc <= 0 || ndimc <= 0) {
            return "every parameter must be positive";
        }
        if (mwg % mdimc != 0 || nwg % ndimc != 0) {
            return "MWG must be a multiple of MDIMC and NWG of NDIMC";
        }
        if (workGroupSize() > maxWorkGroupSize) {
            return "work-group of " + workGroupSize() + " exceeds the device's " + maxWorkGroupSize;
        }
        if (localMemoryBytes() > localMemoryBytes) {
            return localMemoryBytes() + " bytes of local memory exceed the device's " + localMemoryBytes;
        }
        if (outputsPerItem() > MAX_OUTPUTS_PER_ITEM) {
            return outputsPerItem() + " accumulators per work-item exceed " + MAX_OUTPUTS_PER_ITEM;
        }
        return null;
    }

    /** The build options that select these parameters. */
    KernelLaunch.Defines addTo(KernelLaunch.Defines defines) {
        return defines.set("MWG", mwg)
                .set("NWG", nwg)
                .set("KWG", kwg)
                .set("MDIMC", mdimc)
                .set("NDIMC", ndimc)
                .set("SA", sa)
                .set("SB", sb);
    }

    private static GemmParameters of(int[] values) {
        return new GemmParameters(
                values[0], values[1], values[2], values[3], values[4], values[5] != 0, values[6] != 0);
    }

    private int[] values() {
        return new int[] {mwg, nwg, kwg, mdimc, ndimc, sa ? 1 : 0, sb ? 1 : 0};
    }

    @Override
    public String toString() {
        return SPACE.format(this);
    }
}
