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
        int outChannelTile = TileChoice.outChannelTile(
                g.outChannelsPerGroup(),
                pixelVectors > 0 ? Math.max(1, tuning.maxOutChannelTile() / 2) : tuning.maxOutChannelTile());
        // Enough rows per work-item that its fixed start-up cost is small next to its multiply-adds. Not capped at
        // the output height (the kernel stops at the last row anyway), so the build option is the same at every size.
        long workPerRow = (long) g.inChannelsPerGroup() * g.kernelHeight() * g.kernelWidth() * outChannelTile;
        int rowsPerItem = (int) Math.max(1, tuning.minWorkPerItem() / workPerRow);
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
        if (rowPairs) {
            vectorWidth = ROW_PAIR_WIDTH;
            channelOuter = true;
            rowsPerItem = 2;
        }
        int rowBlocks = TileChoice.ceilDiv(outHeight, rowsPerItem);
        boolean tilesOuter = TileChoice.tilesOuter(g.weightElements(), (long) g.inChannels() * inHeight * inWidth);
        String options = new KernelLaunch.Defines()
                .convolution(g)
                .directTile(outChannelTile, vectorWidth, tilesOuter)
                .set("PAD_TOP", g.padding().top())
                .set("PAD_LEFT", g.padding().left())
                .set("PAD_MODE", g.paddingMode().ordinal())
                .set("ROWS", rowsPerItem)
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
                : depthwise ? "conv2d_depthwise" : rowPairs ? "conv2d_row_pairs" : "conv2d";
        int[] sizes = pixelVectors > 0
                ? KernelLaunch.planeSizes(inHeight, inWidth, outHeight, outWidth)
                : KernelLaunch.planeSizes(inHeight, inWidth, outHeight, outWidth, rowBlocks);
        return new KernelLaunch(
                SOURCE, kernel, options, global, TileChoice.workGroup(global, tilesOuter, tuning), sizes);
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
