package dev.jconv.backend.opencl;

import dev.jconv.geometry.Conv2dGeometry;

/**
 * Turns a Conv2d geometry into a launch of {@code conv2d.cl}. A 1x1, stride-1, unpadded convolution is run as a GEMM
 * by viewing each image's H x W pixels as one long row, so its vectors span row ends and never hit a border; long
 * rows go to {@code conv2d_pointwise}.
 */
final class Conv2dPlan {

    static final String SOURCE = "conv2d.cl";
    /** The vector width of conv2d_row_pairs: two rows of up to half as many outputs. */
    private static final int ROW_PAIR_WIDTH = 16;
    /** conv2d_pointwise: vectors of this width, this many per work-item (their span must fit in the guard). */
    private static final int POINTWISE_WIDTH = 16;

    private static final int POINTWISE_VECTORS = 3;
    /** The fewest work-items per image row (per channel tile) for which conv2d_pointwise is used. */
    private static final int MIN_POINTWISE_ITEMS = 8;
    /** The fewest input channels per group for which conv2d_joint_rows is used. */
    private static final int MIN_JOINT_ROW_CHANNELS = 16;

    static {
        if (POINTWISE_VECTORS * POINTWISE_WIDTH > ClBuffer.GUARD_FLOATS) {
            throw new AssertionError("conv2d_pointwise's loads past the row end must stay within the guard");
        }
    }

    private Conv2dPlan() {}

    static KernelLaunch of(Conv2dGeometry g, Tuning tuning) {
        boolean pointwise = g.kernelHeight() == 1
                && g.kernelWidth() == 1
                && g.strideHeight() == 1
                && g.strideWidth() == 1
                && g.padding().top() == 0
                && g.padding().bottom() == 0
                && g.padding().left() == 0
                && g.padding().right() == 0;
        int inHeight = pointwise ? 1 : g.inHeight();
        int inWidth = pointwise ? g.inHeight() * g.inWidth() : g.inWidth();
        int outHeight = pointwise ? 1 : g.outHeight();
        int outWidth = pointwise ? g.outHeight() * g.outWidth() : g.outWidth();

        KernelLaunch channelVectors = channelVectors(g, tuning, inHeight, inWidth, outHeight, outWidth);
        if (channelVectors != null) {
            return channelVectors;
        }
        int vectorWidth = TileChoice.vectorWidth(outWidth, tuning.maxVectorWidth());
        // Long pointwise rows with 16-lane vectors: conv2d_pointwise, 3 pixel vectors x half the channel tile per
        // work-item (24 accumulators), so each broadcast weight feeds 3 multiply-adds. pointwise1x1, interleaved
        // A/B over 25 runs each against the one-vector conv2d path: kernel min 0.46 vs 0.79 ms, median 0.71 vs 1.03;
        // 2 x 8 and 4 x 4 also won but by less. Short rows keep conv2d (3-vector items would waste lanes).
        int pixelVectors = pointwise
                        && vectorWidth == POINTWISE_WIDTH
                        && outWidth >= MIN_POINTWISE_ITEMS * POINTWISE_VECTORS * POINTWISE_WIDTH
                ? POINTWISE_VECTORS
                : 0;
        boolean channelOuter = channelOuter(g, inWidth, outWidth, vectorWidth);
        // Depthwise: one input and one output channel per group gets a kernel with its taps in registers.
        boolean depthwise = channelOuter && g.inChannelsPerGroup() == 1 && g.outChannelsPerGroup() == 1;
        // Rows of at most 8 outputs with 16-lane vectors: each vector holds two output rows (conv2d_row_pairs).
        boolean rowPairs = !depthwise
                && !pointwise
                && tuning.maxVectorWidth() == ROW_PAIR_WIDTH
                && outWidth <= ROW_PAIR_WIDTH / 2
                && outHeight >= 2
                && g.strideWidth() <= 2
                && channelOuter(g, inWidth, outWidth, ROW_PAIR_WIDTH);
        // Up to JV output rows at once (conv2d_joint_rows), each broadcast weight feeding one multiply-add per row:
        // for zero-padded layers whose loads stay within the guard, stride 1 and a long channel loop. Measured here
        // with the CPU row, JV 2 against 1 (kernel ms, two interleaved rounds): resnet3x3 0.70 vs 0.81, resnet3x3_b8
        // 5.9-6.0 vs 6.8-7.0, dilated3x3 0.68-0.70 vs 0.82, 128 channels at 28x28 0.69-0.72 vs 0.81-0.85; but with
        // stride 2 (two loads and a shuffle per strided vector, now one per row) 64 channels 3x3 took 1.00-1.06 vs
        // 0.87, and with 3 input channels (7x7 stride 1 or 2, 3x3) 1.2-1.7 times as long.
        int jointRows = channelOuter
                        && !depthwise
                        && !rowPairs
                        && pixelVectors == 0
                        && g.strideWidth() == 1
                        && g.inChannelsPerGroup() >= MIN_JOINT_ROW_CHANNELS
                ? tuning.jointVectors()
                : 1;
        int outChannelTile =
                outChannelTile(g.outChannelsPerGroup(), tuning.maxOutChannelTile(), Math.max(jointRows, pixelVectors));
        // Enough rows per work-item that its fixed start-up cost is small next to its multiply-adds, in whole
        // blocks of joint rows. Not capped at the output height (the kernel stops at the last row anyway), so the
        // build option is the same at every size.
        long workPerRow = (long) g.inChannelsPerGroup() * g.kernelHeight() * g.kernelWidth() * outChannelTile;
        int rowsPerItem = (int) Math.max(1, tuning.minWorkPerItem() / workPerRow);
        rowsPerItem = TileChoice.ceilDiv(rowsPerItem, jointRows) * jointRows;
        if (rowPairs) {
            vectorWidth = ROW_PAIR_WIDTH;
            channelOuter = true;
            rowsPerItem = 2;
        }
        int rowBlocks = TileChoice.ceilDiv(outHeight, rowsPerItem);
        boolean tilesOuter = TileChoice.tilesOuter(g);
        String options = directDefines(g, outChannelTile, vectorWidth, tilesOuter)
                .set("ROWS", rowsPerItem)
                .set("JOINT_ROWS", jointRows)
                .set("CHANNEL_OUTER", channelOuter)
                .set("ROW_PAIRS", rowPairs)
                .set("PW_VECS", pixelVectors)
                .options();
        long[] global = TileChoice.ndRange(
                g.outChannels() / outChannelTile,
                rowPairs
                        ? 1
                        : pixelVectors > 0
                                ? TileChoice.ceilDiv(outWidth, vectorWidth * pixelVectors)
                                : TileChoice.ceilDiv(outWidth, vectorWidth),
                (long) g.batch() * rowBlocks,
                tilesOuter);
        String kernel = pixelVectors > 0
                ? "conv2d_pointwise"
                : depthwise
                        ? "conv2d_depthwise"
                        : rowPairs ? "conv2d_row_pairs" : jointRows > 1 ? "conv2d_joint_rows" : "conv2d";
        int[] sizes = pixelVectors > 0
                ? KernelLaunch.planeSizes(inHeight, inWidth, outHeight, outWidth)
                : KernelLaunch.planeSizes(inHeight, inWidth, outHeight, outWidth, rowBlocks);
        return new KernelLaunch(
                SOURCE, kernel, options, global, TileChoice.workGroup(global, tilesOuter, tuning), sizes);
    }

    /**
     * {@code conv2d_channel_vectors} when the tuning asks for it (CV > 0) and the layer allows it: zero padding, output
     * channels per group a multiple of the work-item's CV x VW, and every scalar load within the guard. Null otherwise,
     * and the pixel-vector kernels run. Output channels in the lanes leave no lane idle at a row's end: measured here
     * against the shipped pixel-vector kernels (kernel ms, medians of 200 runs, same run): resnet3x3 0.61-0.63 vs
     * 0.64-0.65, resnet3x3_b8 4.85 vs 5.29, dilated3x3 0.60-0.62 vs 0.69, all with CV=4, PX=4; but strided7x7 (3
     * input channels) 0.86 vs 0.78. So the CPU row keeps CV=0 and the tuning table picks it per layer.
     */
    private static KernelLaunch channelVectors(
            Conv2dGeometry g, Tuning tuning, int inHeight, int inWidth, int outHeight, int outWidth) {
        int vectorWidth = tuning.maxVectorWidth();
        int block = tuning.channelVectors() * vectorWidth;
        int pixels = tuning.pixelsPerItem();
        if (block == 0
                || g.paddingMode() != dev.jconv.PaddingMode.ZEROS
                || g.outChannelsPerGroup() % block != 0
                || !channelVectorLoadsInGuard(g, inWidth, outWidth, pixels)) {
            return null;
        }
        boolean tilesOuter = TileChoice.tilesOuter(g);
        String options = directDefines(g, block, vectorWidth, tilesOuter)
                .channelVectorTile(tuning)
                .options();
        long[] global = TileChoice.ndRange(
                g.outChannels() / block,
                TileChoice.ceilDiv(outWidth, pixels),
                (long) g.batch() * outHeight,
                tilesOuter);
        // Work-groups along the row's pixel blocks: with CV x VW channels per tile a layer has few tiles.
        long[] local = {1, TileChoice.largestDivisorAtMost(global[1], workGroupWidth(tuning)), 1};
        return new KernelLaunch(
                SOURCE,
                "conv2d_channel_vectors",
                options,
                global,
                local,
                KernelLaunch.planeSizes(inHeight, inWidth, outHeight, outWidth),
                KernelLaunch.WeightBlocks.of(g, block),
                0);
    }

    /** The build options every direct Conv2d kernel shares: the layer, its channel tile and its padding. */
    private static KernelLaunch.Defines directDefines(
            Conv2dGeometry g, int outChannelTile, int vectorWidth, boolean tilesOuter) {
        return new KernelLaunch.Defines()
                .convolution(g)
                .directTile(outChannelTile, vectorWidth, tilesOuter)
                .padding(g);
    }

    private static long workGroupWidth(Tuning tuning) {
        return Math.min(tuning.maxWorkGroupSize(), tuning.workGroupLimits()[0]);
    }

    /**
     * True when every scalar load of conv2d_channel_vectors stays within the buffer: a work-item's columns, pixels
     * past the row's end included, reach at most {@link ClBuffer#GUARD_FLOATS} floats before the row or after it
     * (its masked path loads before it selects).
     */
    static boolean channelVectorLoadsInGuard(Conv2dGeometry g, int inWidth, int outWidth, int pixels) {
        long lastItemStart = (long) (TileChoice.ceilDiv(outWidth, pixels) - 1) * pixels;
        long highestColumn = (lastItemStart + pixels - 1) * g.strideWidth()
                - g.padding().left()
                + (long) (g.kernelWidth() - 1) * g.dilationWidth();
        return g.padding().left() <= ClBuffer.GUARD_FLOATS && highestColumn < inWidth + ClBuffer.GUARD_FLOATS;
    }

    /**
     * The output channels of a work-item that computes {@code vectors} pixel vectors together (joint rows, or
     * conv2d_pointwise's pixel vectors): {@code maxTile} for one vector; for several, at most 1.5 x {@code maxTile}
     * accumulators in all, since the vectors share each broadcast weight and need fewer operand registers per
     * accumulator. With the CPU row's 16 that is 12 channels x 2 rows or 8 x 3 vectors: 24 of AVX-512's 32 vector
     * registers (2 x 16 spills).
     */
    private static int outChannelTile(int channelsPerGroup, int maxTile, int vectors) {
        int limit = vectors <= 1 ? maxTile : Math.max(1, maxTile * 3 / (2 * vectors));
        return TileChoice.outChannelTile(channelsPerGroup, limit);
    }

    /**
     * True when the kernel may run channels outermost with every tap masked instead of branched: zero padding, and
     * every vector load of every tap stays within the buffer's guard (see conv2d.cl). Channel-outer reads each
     * weight cache line once for all taps (seed_conv: about twice as fast as tap-outer).
     */
    static boolean channelOuter(Conv2dGeometry g, int inWidth, int outWidth, int vectorWidth) {
        if (g.paddingMode() != dev.jconv.PaddingMode.ZEROS) {
            return false;
        }
        int stride = g.strideWidth();
        long loadSpan =
                stride == 1 ? vectorWidth : stride == 2 ? 2L * vectorWidth : (long) (vectorWidth - 1) * stride + 1;
        long lastVectorStart = (long) (TileChoice.ceilDiv(outWidth, vectorWidth) - 1) * vectorWidth;
        long lowestColumn = -g.padding().left();
        long highestEnd = lastVectorStart * stride
                - g.padding().left()
                + (long) (g.kernelWidth() - 1) * g.dilationWidth()
                + loadSpan;
        return lowestColumn >= -ClBuffer.GUARD_FLOATS && highestEnd <= inWidth + ClBuffer.GUARD_FLOATS;
    }
}
