package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Objects;

/**
 * PyTorch's {@code nn.ConvTranspose2d}, forward only: same parameters, same weight layout [in, out/groups, kH, kW],
 * same output sizes (including {@code output_size}), same errors. Computed as a gather, so results are deterministic.
 *
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(128, 64, 4, 2, 1);   // nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1)
 * Tensor y = up.forward(x);                                      // [1, 128, 16, 16] -> [1, 64, 32, 32]
 * Tensor z = up.forward(x, 33, 33);                              // like up(x, output_size=[33, 33])
 * }</pre>
 *
 * <p>A host input runs on the module's device (by default {@link Device#auto()}) and returns a host tensor; an input
 * that lives on a device runs there and its output stays there. Thread-safe.
 */
public final class ConvTranspose2d extends ConvModule<ConvTranspose2d, ConvTranspose2dConfig> {

    /** {@code nn.ConvTranspose2d(in, out, kernel)}. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** {@code nn.ConvTranspose2d(in, out, kernel, stride, padding)}. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    /**
     * A module from validated hyper-parameters, running host inputs on {@code device} (null: {@link Device#auto()}).
     */
    public ConvTranspose2d(ConvTranspose2dConfig config, Device device) {
        this(new ModuleSetup<>(config, device, Activation.NONE, null));
    }

    private ConvTranspose2d(ModuleSetup<ConvTranspose2dConfig> setup) {
        super(setup);
    }

    private ConvTranspose2d(Builder builder) {
        this(builder.setup(builder.config()));
    }

    /** Every parameter, with PyTorch's defaults: stride 1, padding 0, output_padding 0, groups 1, bias, dilation 1. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return builder(inChannels, outChannels, IntPair.of(kernelSize));
    }

    /** As {@link #builder(int, int, int)}, with a kernel of kernelSize.height() x kernelSize.width(). */
    public static Builder builder(int inChannels, int outChannels, IntPair kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    /**
     * PyTorch's padding_mode check: only zeros exists for transposed convolutions.
     *
     * @throws IllegalArgumentException for any other mode
     */
    public static void checkPaddingMode(String paddingMode) {
        if (!"zeros".equals(paddingMode)) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose2d"
                    + " (got padding_mode='" + paddingMode + "')");
        }
    }

    /**
     * The output for {@code input} ([N, C, H, W], or [C, H, W] unbatched; the output has the same rank), using the
     * module's output_padding.
     *
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit, before any device work
     */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * Like PyTorch's {@code forward(input, output_size=[h, w])}: output_padding is chosen to reach the requested size,
     * which must lie between the smallest output and that plus stride - 1.
     */
    public Tensor forward(Tensor input, int outputHeight, int outputWidth) {
        return forward(input, IntPair.of(outputHeight, outputWidth));
    }

    /** As {@link #forward(Tensor, int, int)}; a null size means the module's output_padding. */
    public Tensor forward(Tensor input, IntPair outputSize) {
        Objects.requireNonNull(input, "input");
        ConvTranspose2dGeometry geometry = geometry(input.shape(), outputSize);
        return execute(input, geometry, geometry::withBatch, Backend::convTranspose2d);
    }

    @Override
    Preparation preparation(int[] inputShape) {
        return preparation(inputShape, null);
    }

    private Preparation preparation(int[] inputShape, IntPair outputSize) {
        return preparationOf(geometry(inputShape, outputSize), Backend::prepare);
    }

    /** As {@link #prepare(int...)} for {@link #forward(Tensor, int, int)}: the output size given, not derived. */
    public int[] prepare(int[] inputShape, int outputHeight, int outputWidth) {
        return prepare(device(), inputShape, IntPair.of(outputHeight, outputWidth));
    }

    /**
     * As {@link #prepare(Device, int...)} for {@link #forward(Tensor, IntPair)}; a null size means the module's
     * output_padding.
     */
    public int[] prepare(Device target, int[] inputShape, IntPair outputSize) {
        Objects.requireNonNull(inputShape, "input shape");
        return build(target, preparation(inputShape, outputSize));
    }

    /** The geometry of a call on {@code inputShape} with the module's output_padding. */
    @Override
    public ConvTranspose2dGeometry geometry(int... inputShape) {
        return geometry(inputShape, null);
    }

    /** The geometry of a call on {@code inputShape}, validated as forward does; for planning and tools. */
    public ConvTranspose2dGeometry geometry(int[] inputShape, IntPair outputSize) {
        return ConvTranspose2dGeometry.of(config(), inputShape, outputSize).withActivation(activation());
    }

    @Override
    ConvTranspose2d withEpilogue(boolean withBias, Activation epilogue) {
        return new ConvTranspose2d(epilogueSetup(config().withBias(withBias), epilogue));
    }

    /** Keyword-style construction: each setter is one of nn.ConvTranspose2d's keyword arguments. */
    public static final class Builder extends ConvBuilder<Builder, ConvTranspose2d> {
        private IntPair padding = IntPair.of(0);
        private IntPair outputPadding = IntPair.of(0);

        private Builder(int inChannels, int outChannels, IntPair kernelSize) {
            super(inChannels, outChannels, kernelSize);
        }

        public Builder padding(int value) {
            return padding(value, value);
        }

        public Builder padding(int height, int width) {
            padding = IntPair.of(height, width);
            return this;
        }

        public Builder outputPadding(int value) {
            return outputPadding(value, value);
        }

        public Builder outputPadding(int height, int width) {
            outputPadding = IntPair.of(height, width);
            return this;
        }

        ConvTranspose2dConfig config() {
            return new ConvTranspose2dConfig(common(), padding, outputPadding);
        }

        @Override
        public ConvTranspose2d build() {
            return new ConvTranspose2d(this);
        }
    }
}
