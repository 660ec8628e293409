package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Turns a ConvTranspose2d geometry into a launch of {@code conv_transpose2d.cl}: all stride x stride output phases in
 * one NDRange, each work-item covering a vector of one phase's outputs, along a row or, when each phase row has one
 * output per input column, across the whole phase plane (the flat kernel, for small images).
 */
final class ConvTranspose2dPlan {

    static final String SOURCE = "conv_transpose2d.cl";

    private ConvTranspose2dPlan() {}

    static KernelLaunch of(ConvTranspose2dGeometry g, Tuning tuning) {
        // Rows (columns) of one phase: output rows phase, phase + stride, ...; the first phase has the most.
        int phaseRows = TileChoice.ceilDiv(g.outHeight(), g.strideHeight());
        int phaseColumns = TileChoice.ceilDiv(g.outWidth(), g.strideWidth());
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
        String options = new KernelLaunch.Defines()
                .convolution(g)
                .directTile(outChannelTile, vectorWidth, tilesOuter)
                .set("PH", g.padding().height())
                .set("PW", g.padding().width())
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
}
