package dev.jconv.cli;

import dev.jconv.Conv2d;
import dev.jconv.Conv2dAlgorithm;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One convolution as the tools describe it (from command-line flags or a case's spec.json): the op, its
 * hyper-parameters, and the {@code output_size} request. It builds the module exactly as user code would, so the
 * tools check the same rules as the API.
 *
 * @param padding     {@code "same"}, {@code "valid"}, {@code "P"} or {@code "P,P"}
 * @param outputSize  PyTorch's output_size argument (2 elements, or 3/4 with the leading dims), or null
 */
record ConvCall(
        Op op,
        int inChannels,
        int outChannels,
        IntPair kernelSize,
        IntPair stride,
        String padding,
        IntPair dilation,
        int groups,
        boolean bias,
        IntPair outputPadding,
        String paddingMode,
        int[] outputSize) {

    /** The two ops, by their PyTorch functional names. */
    enum Op {
        CONV2D("conv2d"),
        CONV_TRANSPOSE2D("conv_transpose2d");

        final String torchName;

        Op(String torchName) {
            this.torchName = torchName;
        }

        static Op parse(String text) {
            for (Op op : values()) {
                if (op.torchName.equals(text.toLowerCase(Locale.ROOT))) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown op '" + text + "': expected conv2d or conv_transpose2d");
        }
    }

    /**
     * Builds the module (its device is set later with {@code to}), checking every hyper-parameter as the constructor
     * does.
     *
     * @throws IllegalArgumentException with PyTorch's message for anything PyTorch rejects
     */
    ConvModule<?, ?> build() {
        return build(Conv2dAlgorithm.EXACT);
    }

    /** As {@link #build()}, a Conv2d computed by {@code algorithm}; a transposed call takes only the exact one. */
    ConvModule<?, ?> build(Conv2dAlgorithm algorithm) {
        if (op == Op.CONV2D) {
            return conv2d(algorithm);
        }
        if (algorithm != Conv2dAlgorithm.EXACT) {
            throw new IllegalArgumentException("algorithm " + algorithm + " applies only to conv2d");
        }
        return convTranspose2d();
    }

    /** True when {@code algorithm} can compute this call. */
    boolean accepts(Conv2dAlgorithm algorithm) {
        return algorithm == Conv2dAlgorithm.EXACT
                || (op == Op.CONV2D && algorithm.appliesTo(kernelSize, stride, dilation));
    }

    /**
     * Loads the parameters into {@code module} (from {@link #build}) and checks the call as forward would, without
     * running it, so every rule is checked before a device is chosen or touched.
     *
     * @param bias null when the call has no bias
     * @return the forward call, ready to run
     * @throws IllegalArgumentException with PyTorch's message for anything PyTorch rejects
     */
    Supplier<Tensor> prepare(ConvModule<?, ?> module, Tensor input, Tensor weight, Tensor bias) {
        module.setWeight(weight);
        if (bias != null) {
            module.setBias(bias);
        }
        if (module instanceof Conv2d conv) {
            conv.geometry(input.shape());
            return () -> conv.forward(input);
        }
        ConvTranspose2d convTranspose = (ConvTranspose2d) module;
        IntPair size = requestedOutputSize(input.dim());
        convTranspose.geometry(input.shape(), size);
        return () -> convTranspose.forward(input, size);
    }

    private Conv2d conv2d(Conv2dAlgorithm algorithm) {
        if (outputSize != null) {
            throw new IllegalArgumentException("output_size applies only to conv_transpose2d");
        }
        return Conv2d.builder(inChannels, outChannels, kernelSize)
                .stride(stride.height(), stride.width())
                .padding(Padding.parse(padding))
                .dilation(dilation.height(), dilation.width())
                .groups(groups)
                .bias(bias)
                .paddingMode(PaddingMode.parse(paddingMode))
                .algorithm(algorithm)
                .build();
    }

    private ConvTranspose2d convTranspose2d() {
        // PyTorch checks padding_mode first, and takes no padding word for transposed convolutions.
        ConvTranspose2d.checkPaddingMode(paddingMode);
        if (!padding.isEmpty() && Character.isLetter(padding.charAt(0))) {
            throw new IllegalArgumentException("padding='" + padding + "' is not supported for ConvTranspose2d:"
                    + " padding must be an integer or a pair of integers");
        }
        IntPair amounts = IntPair.parse("padding", padding);
        return ConvTranspose2d.builder(inChannels, outChannels, kernelSize)
                .stride(stride.height(), stride.width())
                .padding(amounts.height(), amounts.width())
                .outputPadding(outputPadding.height(), outputPadding.width())
                .groups(groups)
                .bias(bias)
                .dilation(dilation.height(), dilation.width())
                .build();
    }

    /** PyTorch's _output_padding rule: output_size may carry the leading (batch, channel) dims, which are dropped. */
    private IntPair requestedOutputSize(int inputRank) {
        if (outputSize == null) {
            return null;
        }
        int leading = inputRank - 2;
        if (outputSize.length == 2) {
            return IntPair.of(outputSize[0], outputSize[1]);
        }
        if (outputSize.length == 2 + leading) {
            return IntPair.of(outputSize[leading], outputSize[leading + 1]);
        }
        throw new IllegalArgumentException("ConvTranspose2D: for " + inputRank + "D input, output_size must have 2 or "
                + (2 + leading) + " elements (got " + outputSize.length + ": " + Arrays.toString(outputSize) + ")");
    }
}
