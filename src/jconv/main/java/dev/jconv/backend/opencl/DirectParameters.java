package dev.jconv.backend.opencl;

import dev.jconv.backend.opencl.ParameterSpace.Axis;

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
 * @param jointVectors             JV: pixel vectors one work-item computes together, so that each weight it loads
 *                                 feeds JV multiply-adds: consecutive output rows in Conv2d
 *                                 ({@code conv2d_joint_rows}), consecutive vectors of a phase plane in ConvTranspose2d
 *                                 ({@code conv_transpose2d_flat}), or that plane in consecutive images when it is a
 *                                 single vector; 1 (the kernels before it existed) where a string omits it
 * @param channelVectors           CV: 0 runs both ops on the pixel-vector kernels above; 1, 2 or 4 runs them on
 *                                 {@code conv2d_channel_vectors} and {@code conv_transpose2d_channel_vectors}, whose
 *                                 work-items hold CV vectors of VW output channels each (channels in the lanes),
 *                                 where the layer allows (see {@link Conv2dPlan}, {@link ConvTranspose2dPlan}); 0
 *                                 where a string omits it
 * @param pixelsPerItem            PX: the output pixels of one row (one phase row for ConvTranspose2d) a
 *                                 channel-vector work-item computes; 4 where a string omits it
 */
record DirectParameters(
        int outChannelTile,
        int transposedOutChannelTile,
        int vectorWidth,
        int workGroupWidth,
        int minWorkPerItem,
        int jointVectors,
        int channelVectors,
        int pixelsPerItem) {

    /** The most accumulators (CV x PX) a channel-vector work-item may hold: twice AVX-512's registers. */
    static final int MAX_CHANNEL_VECTOR_ACCUMULATORS = 64;

    /** The search space the tuner draws from; every set is checked by {@link #problemFor} first. */
    static final ParameterSpace<DirectParameters> SPACE = new ParameterSpace<>(
            "direct kernel",
            DirectParameters::of,
            DirectParameters::values,
            new Axis("OC", 1, 2, 4, 8, 12, 16, 24),
            new Axis("OCT", 1, 2, 4, 8, 12, 16, 24),
            new Axis("VW", 4, 8, 16),
            new Axis("WG", 1, 2, 4, 8, 16, 32, 64),
            new Axis("WORK", 1, 64, 256, 1024),
            Axis.withDefault("JV", 1, 1, 2, 3, 4),
            Axis.withDefault("CV", 0, 0, 1, 2, 4),
            Axis.withDefault("PX", 4, 2, 3, 4, 6, 8));

    /** The parameters a device type's table row stands for. */
    static DirectParameters of(Tuning row) {
        return new DirectParameters(
                row.maxOutChannelTile(),
                row.maxTransposedOutChannelTile(),
                row.maxVectorWidth(),
                (int) row.workGroupLimits()[0],
                (int) row.minWorkPerItem(),
                row.jointVectors(),
                row.channelVectors(),
                row.pixelsPerItem());
    }

    /** {@code row} with these parameters in place of its own; its work-group size and other limits stay. */
    Tuning applyTo(Tuning row) {
        long[] limits = row.workGroupLimits().clone();
        limits[0] = workGroupWidth;
        return new Tuning(
                outChannelTile,
                transposedOutChannelTile,
                vectorWidth,
                row.maxWorkGroupSize(),
                limits,
                minWorkPerItem,
                jointVectors,
                channelVectors,
                pixelsPerItem);
    }

    /** Why these parameters cannot run on a device, or null when they can. */
    String problemFor(long maxWorkGroupSize) {
        if (outChannelTile < 1
                || transposedOutChannelTile < 1
                || workGroupWidth < 1
                || minWorkPerItem < 1
                || jointVectors < 1
                || pixelsPerItem < 1) {
            return "every parameter but CV must be positive";
        }
        if (channelVectors < 0) {
            return "CV must be 0 (pixel vectors) or positive, but got " + channelVectors;
        }
        if ((long) channelVectors * pixelsPerItem > MAX_CHANNEL_VECTOR_ACCUMULATORS) {
            // Each is a vector register of the channel-vector kernels, and their loops are unrolled over all of them.
            return "CV x PX must be at most " + MAX_CHANNEL_VECTOR_ACCUMULATORS + ", but got " + channelVectors + " x "
                    + pixelsPerItem;
        }
        if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
            return "VW must be 4, 8 or 16, but got " + vectorWidth;
        }
        if (jointVectors * vectorWidth > ClBuffer.GUARD_FLOATS) {
            // conv_transpose2d_flat's last item may read that many floats past a plane's end.
            return "JV x VW must be at most " + ClBuffer.GUARD_FLOATS + ", but got " + jointVectors + " x "
                    + vectorWidth;
        }
        if (workGroupWidth > maxWorkGroupSize) {
            return "work-group width " + workGroupWidth + " exceeds the device's " + maxWorkGroupSize;
        }
        return null;
    }

    private static DirectParameters of(int[] values) {
        return new DirectParameters(
                values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
    }

    private int[] values() {
        return new int[] {
            outChannelTile,
            transposedOutChannelTile,
            vectorWidth,
            workGroupWidth,
            minWorkPerItem,
            jointVectors,
            channelVectors,
            pixelsPerItem
        };
    }

    @Override
    public String toString() {
        return SPACE.format(this);
    }
}
