package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Turns a ConvTranspose2d geometry into a launch of {@code conv_transpose2d.cl}: all stride x stride output phases in
 * one NDRange, each work-item covering a vector of one phase's outputs along a row.
 */
final class ConvTranspose2dPlan {

    static final String SOURCE = "conv_transpose2d.cl";

    private ConvTranspose2dPlan() {
    }

    static KernelLaunch of(ConvTranspose2dGeometry g, Tuning tuning) {
        // Rows (columns) of one phase: output rows phase, phase + stride, ...; the first phase has the most.
        int phaseRows = TileChoice.ceilDiv(g.outHeight(), g.strideHeight());
        int phaseColumns = TileChoice.ceilDiv(g.outWidth(), g.strideWidth());
        int vectorWidth = TileChoice.vectorWidth(phaseColumns, tuning.maxVectorWidth());
        int columnVectors = TileChoice.ceilDiv(phaseColumns, vectorWidth);
        int outChannelTile = TileChoice.outChannelTile(g.outChannelsPerGroup(), tuning.maxOutChannelTile());
        String options = new KernelLaunch.Defines()
                .set("IN_C", g.inChannels()).set("IN_H", g.inHeight()).set("IN_W", g.inWidth())
                .set("OUT_C", g.outChannels()).set("OUT_H", g.outHeight()).set("OUT_W", g.outWidth())
                .set("CIN_G", g.inChannelsPerGroup()).set("COUT_G", g.outChannelsPerGroup())
                .set("KH", g.kernelHeight()).set("KW", g.kernelWidth())
                .set("SH", g.strideHeight()).set("SW", g.strideWidth())
                .set("PH", g.padHeight()).set("PW", g.padWidth())
                .set("DH", g.dilationHeight()).set("DW", g.dilationWidth())
                .set("HAS_BIAS", g.hasBias())
                .set("OC_TILE", outChannelTile).set("VW", vectorWidth)
                .set("M_H", phaseRows).set("X_VECTORS", columnVectors)
                .options();
        long[] global = {
            g.outChannels() / outChannelTile,
            (long) g.strideWidth() * columnVectors,
            (long) g.batch() * g.strideHeight() * phaseRows,
        };
        return new KernelLaunch(SOURCE, "conv_transpose2d", options, global, TileChoice.workGroup(global, tuning));
    }
}
