package dev.jconv;

import dev.jconv.geometry.ConvConfig;

/**
 * What a convolution module is built from, apart from its weights: the op's hyper-parameters, the device for host
 * inputs, the fused activation and the initialisation seed. One record, so both ops' constructors, builders and
 * {@link ConvModule#fuse} hand the same four things over in one piece.
 *
 * @param device null for {@link Device#auto()}
 * @param seed   null to draw from the process-wide stream
 */
record ModuleSetup<C extends ConvConfig>(C config, Device device, Activation activation, Long seed) {}
