package dev.jconv.backend.opencl;

import static dev.jconv.backend.opencl.ParameterSpace.pick;
import static dev.jconv.backend.opencl.ParameterSpace.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tunable parameters of the direct kernels ({@code conv2d.cl}, {@code conv_transpose2d.cl}): upper bounds that
 * {@link Conv2dPlan} and {@link ConvTranspose2dPlan} fit to each shape, as the device type's {@link Tuning} row does
 * when nothing is tuned.
 *
 * @param outChannelTile           OC: the most output channels one Conv2d work-item accumulates
 * @param transposedOutChannelTile OCT: the same for ConvTranspose2d
 * @param vectorWidth              VW: the most consecutive outputs one work-item computes as a vector (4, 8, 16)
 * @param workGroupWidth           WG: the most work-items of a work-group along NDRange dimension 0
 * @param minWorkPerItem           WORK: vector multiply-adds below which a Conv2d work-item takes several rows
 */
record DirectParameters(
        int outChannelTile, int transposedOutChannelTile, int vectorWidth, int workGroupWidth, int minWorkPerItem) {

    static final int[] TILE_VALUES = {1, 2, 4, 8, 12, 16, 24};
    static final int[] VECTOR_WIDTHS = {4, 8, 16};
    static final int[] WORK_GROUP_WIDTHS = {1, 2, 4, 8, 16, 32, 64};
    static final int[] WORK_VALUES = {1, 64, 256, 1024};
    private static final List<String> NAMES = List.of("OC", "OCT", "VW", "WG", "WORK");

    /** The parameters a device type's table row stands for. */
    static DirectParameters of(Tuning row) {
        return new DirectParameters(
                row.maxOutChannelTile(),
                row.maxTransposedOutChannelTile(),
                row.maxVectorWidth(),
                (int) row.workGroupLimits()[0],
                (int) row.minWorkPerItem());
    }

    /** {@code row} with these parameters in place of its own; its work-group size and other limits stay. */
    Tuning applyTo(Tuning row) {
        long[] limits = row.workGroupLimits().clone();
        limits[0] = workGroupWidth;
        return new Tuning(
                outChannelTile, transposedOutChannelTile, vectorWidth, row.maxWorkGroupSize(), limits, minWorkPerItem);
    }

    /** Why these parameters cannot run on a device, or null when they can. */
    String problemFor(long maxWorkGroupSize) {
        if (outChannelTile < 1 || transposedOutChannelTile < 1 || workGroupWidth < 1 || minWorkPerItem < 1) {
            return "every parameter must be positive";
        }
        if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
            return "VW must be 4, 8 or 16, but got " + vectorWidth;
        }
        if (workGroupWidth > maxWorkGroupSize) {
            return "work-group width " + workGroupWidth + " exceeds the device's " + maxWorkGroupSize;
        }
        return null;
    }

    /** Parses {@code OC=16,OCT=8,VW=16,WG=8,WORK=256}, the form {@link #toString} writes. */
    static DirectParameters parse(String text) {
        Map<String, Integer> values = ParameterSpace.parse(text, NAMES, "direct kernel");
        return new DirectParameters(
                values.get("OC"), values.get("OCT"), values.get("VW"), values.get("WG"), values.get("WORK"));
    }

    static DirectParameters random(SplittableRandom random) {
        return new DirectParameters(
                pick(TILE_VALUES, random),
                pick(TILE_VALUES, random),
                pick(VECTOR_WIDTHS, random),
                pick(WORK_GROUP_WIDTHS, random),
                pick(WORK_VALUES, random));
    }

    /** This set with one parameter moved to a neighbouring value. */
    DirectParameters neighbour(SplittableRandom random) {
        List<DirectParameters> options = new ArrayList<>();
        for (int step : new int[] {-1, 1}) {
            options.add(new DirectParameters(
                    shift(TILE_VALUES, outChannelTile, step),
                    transposedOutChannelTile,
                    vectorWidth,
                    workGroupWidth,
                    minWorkPerItem));
            options.add(new DirectParameters(
                    outChannelTile,
                    shift(TILE_VALUES, transposedOutChannelTile, step),
                    vectorWidth,
                    workGroupWidth,
                    minWorkPerItem));
            options.add(new DirectParameters(
                    outChannelTile,
                    transposedOutChannelTile,
                    shift(VECTOR_WIDTHS, vectorWidth, step),
                    workGroupWidth,
                    minWorkPerItem));
            options.add(new DirectParameters(
                    outChannelTile,
                    transposedOutChannelTile,
                    vectorWidth,
                    shift(WORK_GROUP_WIDTHS, workGroupWidth, step),
                    minWorkPerItem));
            options.add(new DirectParameters(
                    outChannelTile,
                    transposedOutChannelTile,
                    vectorWidth,
                    workGroupWidth,
                    shift(WORK_VALUES, minWorkPerItem, step)));
        }
        return options.get(random.nextInt(options.size()));
    }

    @Override
    public String toString() {
        return "OC=" + outChannelTile + ",OCT=" + transposedOutChannelTile + ",VW=" + vectorWidth + ",WG="
                + workGroupWidth + ",WORK=" + minWorkPerItem;
    }
}
