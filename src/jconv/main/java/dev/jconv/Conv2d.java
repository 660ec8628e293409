package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.Objects;

/**
 * PyTorch's {@code nn.Conv2d}, forward only: same parameters, same weight layout [out, in/groups, kH, kW], same
 * output sizes, same errors.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(128, 64, 4, 2, 1);          // nn.Conv2d(128, 64, 4, stride=2, padding=1)
 * Tensor y = conv.forward(x);                           // x: [1, 128, 16, 16] -> y: [1, 64, 8, 8]
 * Conv2d same = Conv2d.builder(64, 64, 3).padding(Padding.SAME).paddingMode(PaddingMode.REFLECT).build();
 * }</pre>
 *
 * <p>A host input runs on the module's device (by default {@link Device#auto()}) and returns a host tensor; an input
 * that lives on a device runs there and its output stays there. Thread-safe.
 */
public final class Conv2d extends ConvModule<Conv2d, Conv2dConfig> {

    private final Conv2dAlgorithm algorithm;

    /** {@code nn.Conv2d(in, out, kernel)}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** {@code nn.Conv2d(in, out, kernel, stride, padding)}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    /**
     * A module from validated hyper-parameters, running host inputs on {@code device} (null: {@link Device#auto()}).
     */
    public Conv2d(Conv2dConfig config, Device device) {
        this(new ModuleSetup<>(config, device, Activation.NONE, null), Conv2dAlgorithm.EXACT);
    }

    private Conv2d(ModuleSetup<Conv2dConfig> setup, Conv2dAlgorithm algorithm) {
        super(setup);
        this.algorithm = algorithm;
    }

    private Conv2d(Builder builder) {
        this(builder.checkedSetup(), builder.algorithm);
    }

    /** Every parameter, with PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, bias, zeros. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return builder(inChannels, outChannels, IntPair.of(kernelSize));
    }

    /** As {@link #builder(int, int, int)}, with a kernel of kernelSize.height() x kernelSize.width(). */
    public static Builder builder(int inChannels, int outChannels, IntPair kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    /** How the sums are computed: {@link Conv2dAlgorithm#EXACT} unless the builder asked for another. */
    public Conv2dAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The output for {@code input} ([N, C, H, W], or [C, H, W] unbatched; the output has the same rank).
     *
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit, before any device work
     */
    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        Conv2dGeometry geometry = geometry(input.shape());
        return execute(input, geometry, geometry::withBatch, Backend::conv2d);
    }

    @Override
    Preparation preparation(int[] inputShape) {
        return preparationOf(geometry(inputShape), Backend::prepare);
    }

    @Override
    public Conv2dGeometry geometry(int... inputShape) {
        return Conv2dGeometry.of(config(), inputShape)
                .withActivation(activation())
                .withAlgorithm(algorithm);
    }

    @Override
    Conv2d withEpilogue(boolean withBias, Activation epilogue) {
        return new Conv2d(epilogueSetup(config().withBias(withBias), epilogue), algorithm);
    }

    /** Keyword-style construction: each setter is one of nn.Conv2d's keyword arguments. */
    public static final class Builder extends ConvBuilder<Builder, Conv2d> {
        private Padding padding = Padding.of(0);
        private PaddingMode paddingMode = PaddingMode.ZEROS;
        private Conv2dAlgorithm algorithm = Conv2dAlgorithm.EXACT;

        private Builder(int inChannels, int outChannels, IntPair kernelSize) {
            super(inChannels, outChannels, kernelSize);
        }

        public Builder padding(int value) {
            return padding(Padding.of(value));
        }

        public Builder padding(int height, int width) {
            return padding(Padding.of(height, width));
        }

        /** {@link Padding#SAME}, {@link Padding#VALID} or explicit amounts. */
        public Builder padding(Padding value) {
            padding = Objects.requireNonNull(value, "padding");
            return this;
        }

        /** {@code "same"} or {@code "valid"}, as PyTorch spells them. */
        public Builder padding(String word) {
            return padding(Padding.word(word));
        }

        public Builder paddingMode(PaddingMode value) {
            paddingMode = Objects.requireNonNull(value, "padding_mode");
            return this;
        }

        /** {@code "zeros"}, {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
        public Builder paddingMode(String value) {
            return paddingMode(PaddingMode.parse(value));
        }

        /**
         * How the sums are computed; default {@link Conv2dAlgorithm#EXACT}. {@link Conv2dAlgorithm#WINOGRAD} trades
         * exact rounding for speed on 3x3 stride-1 convolutions (see its javadoc for the measured error).
         */
        public Builder algorithm(Conv2dAlgorithm value) {
            algorithm = Objects.requireNonNull(value, "algorithm");
            return this;
        }

        Conv2dConfig config() {
            return new Conv2dConfig(common(), padding, paddingMode);
        }

        /** The module's setup, once the hyper-parameters pass PyTorch's rules and the algorithm applies to them. */
        private ModuleSetup<Conv2dConfig> checkedSetup() {
            Conv2dConfig config = config();
            CommonConfig common = config.common();
            algorithm.checkApplies(common.kernelSize(), common.stride(), common.dilation());
            return setup(config);
        }

        /**
         * @throws IllegalArgumentException when a hyper-parameter breaks PyTorch's rules, or the algorithm does not
         *     apply to them
         */
        @Override
        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
