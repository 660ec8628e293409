package dev.jconv.backend.opencl;

import static dev.jconv.backend.opencl.ParameterSpace.pick;
import static dev.jconv.backend.opencl.ParameterSpace.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tuning parameters of {@code conv_gemm.cl}, with CLBlast's Xgemm names: the work-group's tile of the output
 * matrix (MWG output channels x NWG pixels), the reduction slice (KWG), the work-group's shape (MDIMC x NDIMC, so
 * each work-item owns MWG/MDIMC x NWG/NDIMC outputs), and whether the slices of A (weights) and B (gathered input)
 * are staged in local memory (SA, SB).
 */
record GemmParameters(int mwg, int nwg, int kwg, int mdimc, int ndimc, boolean sa, boolean sb) {

    /** The search space the tuner draws from; every combination is checked by {@link #problemFor} first. */
    static final int[] TILE_VALUES = {8, 16, 32, 64, 128};

    static final int[] SLICE_VALUES = {4, 8, 16, 32};
    static final int[] WORK_GROUP_DIMENSIONS = {1, 2, 4, 8, 16, 32};
    /** More accumulators than this per work-item spill on every device we know of. */
    static final int MAX_OUTPUTS_PER_ITEM = 128;

    private static final List<String> NAMES = List.of("MWG", "NWG", "KWG", "MDIMC", "NDIMC", "SA", "SB");

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

    /** Parses {@code MWG=64,NWG=64,KWG=16,MDIMC=16,NDIMC=16,SA=1,SB=1}, the form {@link #toString} writes. */
    static GemmParameters parse(String text) {
        Map<String, Integer> values = ParameterSpace.parse(text, NAMES, "GEMM");
        return new GemmParameters(
                values.get("MWG"),
                values.get("NWG"),
                values.get("KWG"),
                values.get("MDIMC"),
                values.get("NDIMC"),
                values.get("SA") != 0,
                values.get("SB") != 0);
    }

    /** A random parameter set from the search space (it may still be invalid for a device). */
    static GemmParameters random(SplittableRandom random) {
        return new GemmParameters(
                pick(TILE_VALUES, random),
                pick(TILE_VALUES, random),
                pick(SLICE_VALUES, random),
                pick(WORK_GROUP_DIMENSIONS, random),
                pick(WORK_GROUP_DIMENSIONS, random),
                random.nextBoolean(),
                random.nextBoolean());
    }

    /** This set with one parameter moved to a neighbouring value: the tuner's local step around its best. */
    GemmParameters neighbour(SplittableRandom random) {
        List<GemmParameters> options = new ArrayList<>();
        for (int step : new int[] {-1, 1}) {
            options.add(new GemmParameters(shift(TILE_VALUES, mwg, step), nwg, kwg, mdimc, ndimc, sa, sb));
            options.add(new GemmParameters(mwg, shift(TILE_VALUES, nwg, step), kwg, mdimc, ndimc, sa, sb));
            options.add(new GemmParameters(mwg, nwg, shift(SLICE_VALUES, kwg, step), mdimc, ndimc, sa, sb));
            options.add(new GemmParameters(mwg, nwg, kwg, shift(WORK_GROUP_DIMENSIONS, mdimc, step), ndimc, sa, sb));
            options.add(new GemmParameters(mwg, nwg, kwg, mdimc, shift(WORK_GROUP_DIMENSIONS, ndimc, step), sa, sb));
        }
        options.add(new GemmParameters(mwg, nwg, kwg, mdimc, ndimc, !sa, sb));
        options.add(new GemmParameters(mwg, nwg, kwg, mdimc, ndimc, sa, !sb));
        return options.get(random.nextInt(options.size()));
    }

    @Override
    public String toString() {
        return "MWG=" + mwg + ",NWG=" + nwg + ",KWG=" + kwg + ",MDIMC=" + mdimc + ",NDIMC=" + ndimc + ",SA="
                + (sa ? 1 : 0) + ",SB=" + (sb ? 1 : 0);
    }
}
