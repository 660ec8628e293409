package dev.jconv;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random invalid calls, each breaking one PyTorch rule on top of an otherwise valid random
 * configuration: every one must raise IllegalArgumentException, never another exception, never a result.
 * The seed is fixed and printed on failure.
 */
class InvalidConfigPropertyTest {

    private static final long SEED = 20261128L;
    private static final int CASES = 3000;

    /** A valid random configuration, then one rule broken. */
    private static final class Call {
        boolean transposed;
        int batch = 1;
        int in;
        int out;
        int groups;
        int kernelHeight;
        int kernelWidth;
        int stride = 1;
        int padding;
        int dilation = 1;
        int outputPadding;
        PaddingMode mode = PaddingMode.ZEROS;
        Padding paddingWord;
        int height;
        int width;
        int inputChannels;
        int rank = 4;
        int biasLength;
        int[] weightShape;
        IntPair outputSize;
        String broken;

        Tensor run() {
            Tensor x = Tensor.zeros(
                    switch (rank) {
                        case 5 -> new int[] {1, batch, inputChannels, height, width};
                        case 4 -> new int[] {batch, inputChannels, height, width};
                        case 3 -> new int[] {inputChannels, height, width};
                        default -> new int[] {height, width};
                    });
            if (transposed) {
                try (ConvTranspose2d module = ConvTranspose2d.builder(in, out, kernelHeight)
                        .kernelSize(kernelHeight, kernelWidth)
                        .stride(stride)
                        .padding(padding)
                        .outputPadding(outputPadding)
                        .groups(groups)
                        .dilation(dilation)
                        .device(Device.java())
                        .build()) {
                    load(module);
                    return module.forward(x, outputSize);
                }
            }
            try (Conv2d module = Conv2d.builder(in, out, kernelHeight)
                    .kernelSize(kernelHeight, kernelWidth)
                    .stride(stride)
                    .padding(paddingWord != null ? paddingWord : Padding.of(padding))
                    .dilation(dilation)
                    .groups(groups)
                    .paddingMode(mode)
                    .device(Device.java())
                    .build()) {
                load(module);
                return module.forward(x);
            }
        }

        private void load(ConvModule<?, ?> module) {
            if (weightShape != null) {
                module.setWeight(Tensor.zeros(weightShape));
            }
            if (biasLength != out) {
                module.setBias(Tensor.zeros(biasLength));
            }
        }

        @Override
        public String toString() {
            return (transposed ? "ConvTranspose2d" : "Conv2d") + "(in=" + in + ", out=" + out + ", kernel="
                    + kernelHeight + "x" + kernelWidth + ", stride=" + stride + ", padding="
                    + (paddingWord != null ? paddingWord : padding) + ", dilation=" + dilation + ", groups=" + groups
                    + ", output_padding=" + outputPadding + ", mode=" + mode + ", output_size=" + outputSize
                    + ") on input rank " + rank + " [" + batch + ", " + inputChannels + ", " + height + ", " + width
                    + "], broken rule: " + broken;
        }
    }

    @Test
    void everyBrokenRuleIsAnIllegalArgument() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int index = 0; index < CASES; index++) {
            Call call = validCall(random);
            call.broken = "none";
            call.run(); // the starting point must be valid, or the property would prove nothing
            breakOneRule(call, random);
            try {
                Tensor result = call.run();
                fail("case " + index + " (seed " + SEED + ") was accepted, output " + result + ": " + call);
            } catch (IllegalArgumentException expected) {
                // the clean rejection the rule asks for
            } catch (RuntimeException other) {
                throw new AssertionError(
                        "case " + index + " (seed " + SEED + ") threw " + other + " instead of"
                                + " IllegalArgumentException: " + call,
                        other);
            }
        }
    }

    private static Call validCall(SplittableRandom random) {
        Call call = new Call();
        call.transposed = random.nextBoolean();
        call.groups = 1 + random.nextInt(3);
        call.in = call.groups * (1 + random.nextInt(3));
        call.out = call.groups * (1 + random.nextInt(3));
        call.inputChannels = call.in;
        call.biasLength = call.out;
        call.kernelHeight = 1 + random.nextInt(3);
        call.kernelWidth = 1 + random.nextInt(3);
        call.stride = 1 + random.nextInt(2);
        call.padding = random.nextInt(2);
        call.height = 4 + random.nextInt(5);
        call.width = 4 + random.nextInt(5);
        return call;
    }

    private static void breakOneRule(Call call, SplittableRandom random) {
        Supplier<Integer> nonPositive = () -> -random.nextInt(3);
        int rule = random.nextInt(call.transposed ? 13 : 16);
        switch (rule) {
            case 0 -> {
                call.groups = nonPositive.get();
                call.broken = "groups > 0";
            }
            case 1 -> {
                call.in = call.groups * 2 + 1;
                call.groups = 2;
                call.broken = "groups divides in_channels";
            }
            case 2 -> {
                call.groups = 2;
                call.in = 2;
                call.out = 3;
                call.inputChannels = 2;
                call.biasLength = 3;
                call.broken = "groups divides out_channels";
            }
            case 3 -> {
                call.stride = nonPositive.get();
                call.broken = "stride > 0";
            }
            case 4 -> {
                call.dilation = nonPositive.get();
                call.broken = "dilation > 0";
            }
            case 5 -> {
                call.padding = -1 - random.nextInt(2);
                call.broken = "padding >= 0";
            }
            case 6 -> {
                call.inputChannels = call.in + 1 + random.nextInt(2);
                call.broken = "input channels";
            }
            case 7 -> {
                call.rank = random.nextBoolean() ? 2 : 5;
                call.broken = "input rank 3 or 4";
            }
            case 8 -> {
                call.kernelHeight = 0;
                call.broken = "kernel_size > 0";
            }
            case 9 -> {
                call.biasLength = call.out + 1 + random.nextInt(2);
                call.broken = "bias length";
            }
            case 10 -> {
                call.weightShape = new int[] {call.out + 1, call.in, call.kernelHeight, call.kernelWidth};
                call.broken = "weight shape";
            }
            case 11 -> {
                call.height = 0;
                call.broken = "non-empty input";
            }
            case 12 -> {
                if (call.transposed) {
                    call.stride = 1 + random.nextInt(2);
                    call.dilation = 1;
                    call.outputPadding = call.stride + random.nextInt(2);
                    call.broken = "output_padding < stride or dilation";
                } else {
                    call.kernelHeight = call.height + 2 * call.padding + 1 + random.nextInt(3);
                    call.broken = "kernel fits the padded input";
                }
            }
            case 13 -> {
                call.paddingWord = Padding.SAME;
                call.stride = 2 + random.nextInt(2);
                call.broken = "'same' needs stride 1";
            }
            case 14 -> {
                call.mode = PaddingMode.REFLECT;
                call.padding = Math.min(call.height, call.width) + random.nextInt(2);
                call.broken = "reflect padding < input size";
            }
            default -> {
                call.mode = PaddingMode.CIRCULAR;
                call.padding = Math.max(call.height, call.width) + 1 + random.nextInt(2);
                call.broken = "circular wraps at most once";
            }
        }
        if (call.transposed && rule == 12 && random.nextBoolean()) {
            // Also exercise output_size: out of PyTorch's [min, min + stride - 1] range.
            call.outputPadding = 0;
            int smallest = (call.height - 1) * call.stride - 2 * call.padding + call.kernelHeight;
            call.outputSize = IntPair.of(
                    random.nextBoolean() ? smallest - 1 : smallest + call.stride,
                    (call.width - 1) * call.stride - 2 * call.padding + call.kernelWidth);
            call.broken = "output_size in range";
        }
    }
}
