package dev.jconv.backend.opencl;

import dev.jconv.Activation;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Arrays;

/**
 * Everything needed to run one op's kernel, derived once from validated geometry: which source and kernel, the build
 * options that specialise it, the NDRange, and the int arguments that follow the four buffers.
 *
 * @param local              null lets the driver choose the work-group size
 * @param scalarArguments    int kernel arguments after (input, weight, bias, output), in order
 * @param weightBlocks       null when the kernel reads the weights in PyTorch's layout; else how it reads them
 *                           re-laid ({@link ChannelVectorWeights})
 * @param localFloats        the floats of local memory passed as the kernel's last argument, after the int ones; 0
 *                           when it takes none
 */
record KernelLaunch(
        String sourceName,
        String kernelName,
        String options,
        long[] global,
        long[] local,
        int[] scalarArguments,
        WeightBlocks weightBlocks,
        int localFloats) {

    /**
     * Weights re-laid with blocks of output channels innermost (see {@code weight_layout.cl}): Conv2d's as
     * [out / channels][in / groups][kH][kW][channels], ConvTranspose2d's ({@code transposed}) as
     * [out / channels][kH][kW][in / groups][channels].
     *
     * @param channels    output channels per block, which divides the output channels per group
     * @param outChannels the layer's output channels
     */
    record WeightBlocks(
            boolean transposed,
            int channels,
            int inChannelsPerGroup,
            int outChannelsPerGroup,
            int taps,
            int outChannels) {

        /** {@code g}'s weights in blocks of {@code channels} output channels. */
        static WeightBlocks of(ConvGeometry g, int channels) {
            return new WeightBlocks(
                    g instanceof ConvTranspose2dGeometry,
                    channels,
                    g.inChannelsPerGroup(),
                    g.outChannelsPerGroup(),
                    g.kernelHeight() * g.kernelWidth(),
                    g.outChannels());
        }

        long elements() {
            return (long) outChannels * inChannelsPerGroup * taps;
        }
    }

    /** Everything that decides what this launch runs, as one value: equal signatures run the same way. */
    String signature() {
        return sourceName + " " + kernelName + " " + options + " global " + Arrays.toString(global) + " local "
                + Arrays.toString(local) + " arguments " + Arrays.toString(scalarArguments) + " weights "
                + (weightBlocks == null ? "as given" : weightBlocks) + " local floats " + localFloats;
    }

    /** A launch whose kernel reads the weights in PyTorch's layout. */
    KernelLaunch(
            String sourceName, String kernelName, String options, long[] global, long[] local, int[] scalarArguments) {
        this(sourceName, kernelName, options, global, local, scalarArguments, null, 0);
    }

    /** A launch whose kernel takes only the four buffers. */
    KernelLaunch(String sourceName, String kernelName, String options, long[] global, long[] local) {
        this(sourceName, kernelName, options, global, local, new int[0]);
    }

    /** Whether the NDRange is empty: an op with no outputs enqueues nothing, so it needs no program either. */
    boolean runsNothing() {
        for (long size : global) {
            if (size == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The int arguments of a convolution kernel: the plane sizes in the order of {@code plane_sizes.cl}'s
     * PLANE_SIZE_ARGUMENTS, then the kernel's own. Sizes travel as arguments, not build options, so every input size
     * of a layer shares one program.
     */
    static int[] planeSizes(int inHeight, int inWidth, int outHeight, int outWidth, int... kernelOwn) {
        int[] arguments = new int[4 + kernelOwn.length];
        arguments[0] = inHeight;
        arguments[1] = inWidth;
        arguments[2] = outHeight;
        arguments[3] = outWidth;
        System.arraycopy(kernelOwn, 0, arguments, 4, kernelOwn.length);
        return arguments;
    }

    /** Collects {@code -D NAME=value} build options in a stable order, so equal specialisations share a program. */
    static final class Defines {
        private final StringBuilder text = new StringBuilder();

        Defines() {
            set("GUARD", ClBuffer.GUARD_FLOATS);
        }

        Defines set(String name, long value) {
            text.append(text.length() == 0 ? "" : " ")
                    .append("-D ")
                    .append(name)
                    .append('=')
                    .append(value);
            return this;
        }

        Defines set(String name, boolean value) {
            return set(name, value ? 1 : 0);
        }

        /** The fused epilogue's activation (see activation.cl); a float parameter goes in exactly, as a hex literal. */
        Defines activation(Activation activation) {
            set("ACTIVATION", activation.kind().ordinal());
            if (activation.kind() == Activation.Kind.LEAKY_RELU) {
                text.append(" -D NEGATIVE_SLOPE=")
                        .append(Float.toHexString(activation.negativeSlope()))
                        .append('f');
            }
            return this;
        }

        /** A Conv2d's padding as its kernels read it: the top and left pads, and the mode of the values outside. */
        Defines padding(Conv2dGeometry g) {
            return set("PAD_TOP", g.padding().top())
                    .set("PAD_LEFT", g.padding().left())
                    .set("PAD_MODE", g.paddingMode().ordinal());
        }

        /**
         * The tile of a direct kernel (conv2d.cl, conv_transpose2d.cl): output channels per work-item, pixels per
         * vector, and whether the output-channel tiles are the outer NDRange dimension.
         */
        Defines directTile(int outChannelTile, int vectorWidth, boolean tilesOuter) {
            return set("OC_TILE", outChannelTile).set("VW", vectorWidth).set("TILES_OUTER", tilesOuter);
        }

        /**
         * The tile of a channel-vector kernel (channel_vectors.cl): CHANNEL_VECTORS vectors of output channels by
         * PIXELS output pixels per work-item, as the tuning row gives them.
         */
        Defines channelVectorTile(Tuning tuning) {
            return set("CHANNEL_VECTORS", tuning.channelVectors()).set("PIXELS", tuning.pixelsPerItem());
        }

        /**
         * The defines every convolution kernel reads: channels, kernel window, bias and activation. Sizes are kernel
         * arguments instead (see {@link KernelLaunch#planeSizes}), so one build serves every input size.
         */
        Defines convolution(ConvGeometry g) {
            return set("IN_C", g.inChannels())
                    .set("OUT_C", g.outChannels())
                    .set("CIN_G", g.inChannelsPerGroup())
                    .set("COUT_G", g.outChannelsPerGroup())
                    .set("KH", g.kernelHeight())
                    .set("KW", g.kernelWidth())
                    .set("SH", g.strideHeight())
                    .set("SW", g.strideWidth())
                    .set("DH", g.dilationHeight())
                    .set("DW", g.dilationWidth())
                    .set("HAS_BIAS", g.hasBias())
                    .activation(g.activation());
        }

        String options() {
            return text.toString();
        }
    }
}
