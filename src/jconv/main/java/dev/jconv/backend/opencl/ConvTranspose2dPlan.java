package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Turns a ConvTranspose2d geometry into a launch of {@code conv_transpose2d.cl}: all stride x stride output phases in
 * one NDRange, each work-item covering a vector of one phase's outputs, along a row or, when each phase row has one
 * output per input column, across the whole phase plane (the flat kernel, for small images); or, when the tuning asks
 * for channel vectors, output channels in the lanes a row at a time.
 */
final class ConvTranspose2dPlan {

    static final String SOURCE = "conv_transpose2d.cl";
    /**
     * The most local memory conv_transpose2d_channel_vectors stages one output row of a tile in: 32 KiB, the least
     * CL_DEVICE_LOCAL_MEM_SIZE OpenCL 1.2 allows a GPU or CPU, and an L1 data cache's worth on the CPUs measured.
     */
    static final int MAX_STAGED_ROW_BYTES = 32 * 1024;

    private ConvTranspose2dPlan() {}

    static KernelLaunch of(ConvTranspose2dGeometry g, Tuning tuning) {
        // Rows (columns) of one phase: output rows phase, phase + stride, ...; the first phase has the most.
        int phaseRows = TileChoice.ceilDiv(g.outHeight(), g.strideHeight());
        int phaseColumns = TileChoice.ceilDiv(g.outWidth(), g.strideWidth());
        KernelLaunch channelVectors = channelVectors(g, tuning, phaseRows, phaseColumns);
        if (channelVectors != null) {
            return channelVectors;
        }
        // When a phase row has exactly one output per input column, vectors can run over the whole phase plane.
        boolean flat = phaseColumns == g.inWidth();
        int extent = flat ? phaseRows * phaseColumns : phaseColumns;
        int vectorWidth = TileChoice.vectorWidth(extent, tuning.maxVectorWidth());
        // The flat kernel computes up to JV consecutive plane vectors per work-item, sharing each weight load; never
        // more than the plane has. A plane of one vector (a 4x4 input's phase plane is one 16-lane vector) takes the
        // JV vectors from consecutive images instead, never more than the batch has (a batch of one runs alone).
        int planeVectors = TileChoice.ceilDiv(extent, vectorWidth);
        boolean jointImages = flat && planeVectors == 1 && tuning.jointVectors() > 1 && g.batch() > 1;
        int jointVectors = !flat ? 1 : Math.min(tuning.jointVectors(), jointImages ? g.batch() : planeVectors);
        int vectors = jointImages ? 1 : TileChoice.ceilDiv(extent, vectorWidth * jointVectors);
        long imageGroups = jointImages ? TileChoice.ceilDiv(g.batch(), jointVectors) : g.batch();
        int outChannelTile = TileChoice.outChannelTile(g.outChannelsPerGroup(), tuning.maxTransposedOutChannelTile());
        boolean tilesOuter = TileChoice.tilesOuter(g);
        String options = transposedDefines(g, outChannelTile, vectorWidth, tilesOuter)
                .set("FLAT", flat)
                .set("JOINT_VECTORS", jointVectors)
                .set("JOINT_IMAGES", jointImages)
                .options();
        long tiles = g.outChannels() / outChannelTile;
        long phases = (long) g.strideHeight() * g.strideWidth();
        long[] global;
        String kernel;
        int[] sizes;
        if (flat) {
            global = TileChoice.ndRange(tiles, phases * vectors, imageGroups, tilesOuter);
            kernel = "conv_transpose2d_flat";
            sizes = KernelLaunch.planeSizes(
                    g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), phaseRows, vectors, g.batch());
        } else {
            global = TileChoice.ndRange(
                    tiles,
                    (long) g.strideWidth() * vectors,
                    (long) g.batch() * g.strideHeight() * phaseRows,
                    tilesOuter);
            kernel = "conv_transpose2d";
            sizes = KernelLaunch.planeSizes(g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), phaseRows, vectors);
        }
        return new KernelLaunch(
                SOURCE, kernel, options, global, TileChoice.workGroup(global, tilesOuter, tuning), sizes);
    }

    /**
     * {@code conv_transpose2d_channel_vectors} when the tuning asks for it (CV > 0) and the layer allows it: output
     * channels per group a multiple of the work-item's CV x VW, and one output row's work-items and staged outputs
     * within a work-group (the row's SW x blocks items at most the tuning's work-group size, its CV x VW channels x
     * SW x blocks x PX floats at most {@link #MAX_STAGED_ROW_BYTES}). Null otherwise, and the pixel-vector kernels run.
     */
    private static KernelLaunch channelVectors(
            ConvTranspose2dGeometry g, Tuning tuning, int phaseRows, int phaseColumns) {
        int vectorWidth = tuning.maxVectorWidth();
        int block = tuning.channelVectors() * vectorWidth;
        int pixels = tuning.pixelsPerItem();
        if (block == 0 || g.outChannelsPerGroup() % block != 0) {
            return null;
        }
        int blocks = TileChoice.ceilDiv(phaseColumns, pixels);
        long rowItems = (long) g.strideWidth() * blocks;
        long stagedFloats = rowItems * pixels * block;
        if (rowItems > tuning.maxWorkGroupSize() || stagedFloats * Float.BYTES > MAX_STAGED_ROW_BYTES) {
            return null;
        }
        boolean tilesOuter = TileChoice.tilesOuter(g);
        String options = transposedDefines(g, block, vectorWidth, tilesOuter)
                .channelVectorTile(tuning)
                .options();
        long[] global = TileChoice.ndRange(
                g.outChannels() / block, rowItems, (long) g.batch() * g.strideHeight() * phaseRows, tilesOuter);
        // One work-group per output row of a tile: the kernel stages the row in local memory.
        long[] local = {1, rowItems, 1};
        return new KernelLaunch(
                SOURCE,
                "conv_transpose2d_channel_vectors",
                options,
                global,
                local,
                KernelLaunch.planeSizes(g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth(), phaseRows, blocks),
                KernelLaunch.WeightBlocks.of(g, block),
                Math.toIntExact(stagedFloats));
    }

    /** The build options every ConvTranspose2d kernel shares: the layer, its channel tile and its padding. */
    private static KernelLaunch.Defines transposedDefines(
            ConvTranspose2dGeometry g, int outChannelTile, int vectorWidth, boolean tilesOuter) {
        return new KernelLaunch.Defines()
                .convolution(g)
                .directTile(outChannelTile, vectorWidth, tilesOuter)
                .set("PH", g.padding().height())
                .set("PW", g.padding().width());
    }
}
