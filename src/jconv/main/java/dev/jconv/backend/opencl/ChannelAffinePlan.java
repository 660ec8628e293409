package dev.jconv.backend.opencl;

import dev.jconv.geometry.ChannelAffineGeometry;

/**
 * The launch of {@code elementwise.cl} for one elementwise call: one work-item per element, sizes as kernel
 * arguments, so only the affine flag and the activation select a program.
 */
final class ChannelAffinePlan {

    static final String SOURCE = "elementwise.cl";

    private ChannelAffinePlan() {}

    static KernelLaunch of(ChannelAffineGeometry g) {
        String options = new KernelLaunch.Defines()
                .set("AFFINE", g.affine())
                .activation(g.activation())
                .options();
        return new KernelLaunch(SOURCE, "channel_affine", options, new long[] {g.elements()}, null, new int[] {
            g.channels(), g.planeSize(), g.elements()
        });
    }
}
