package dev.jconv.bench;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.io.LayerSpec;
import dev.jconv.io.NetSpec;
import dev.jconv.io.Safetensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a jconv network ({@code net.json} with its {@code net.safetensors}) as an ONNX model of the same layers, one
 * ONNX node per layer (SiLU: two), so ONNX Runtime can be timed on exactly the network jconv runs; ONNX Runtime does
 * its own fusion. Layers ONNX opset 17 has no single node for are refused with the layer named: GELU, and Conv2d with
 * a padding mode other than zeros.
 */
final class OnnxNetworkWriter {

    static final String INPUT = OnnxModelWriter.INPUT;

    private OnnxNetworkWriter() {}

    /**
     * @param inputShape the model's input shape, [N, C, H, W]
     * @throws IllegalArgumentException naming the layer that has no ONNX counterpart here
     */
    static byte[] write(NetSpec spec, Safetensors weights, int[] inputShape) {
        OnnxProto.Graph graph = new OnnxProto.Graph("jconv network");
        String current = INPUT;
        for (LayerSpec layer : spec.layers()) {
            current = add(graph, layer, weights, current);
        }
        return graph.model(INPUT, inputShape, current, null);
    }

    /** Adds {@code layer}'s node(s) reading {@code input}; returns the name of its output. */
    private static String add(OnnxProto.Graph graph, LayerSpec layer, Safetensors weights, String input) {
        String output = "layer" + layer.index();
        String prefix = layer.index() + ".";
        switch (layer.type()) {
            case "Conv2d", "ConvTranspose2d" -> convolution(graph, layer, weights, input, output);
            case "BatchNorm2d" -> {
                int features = layer.integer("num_features");
                boolean affine = layer.bool("affine", true);
                float[] ones = new float[features];
                Arrays.fill(ones, 1f);
                graph.initializer(
                        prefix + "weight", new int[] {features}, affine ? weights.floats(prefix + "weight") : ones);
                graph.initializer(
                        prefix + "bias",
                        new int[] {features},
                        affine ? weights.floats(prefix + "bias") : new float[features]);
                graph.initializer(
                        prefix + "running_mean", new int[] {features}, weights.floats(prefix + "running_mean"));
                graph.initializer(prefix + "running_var", new int[] {features}, weights.floats(prefix + "running_var"));
                graph.node(
                        "BatchNormalization",
                        List.of(
                                input,
                                prefix + "weight",
                                prefix + "bias",
                                prefix + "running_mean",
                                prefix + "running_var"),
                        output,
                        OnnxProto.real("epsilon", (float) layer.number("eps", 1e-5)));
            }
            case "ReLU" -> graph.node("Relu", List.of(input), output);
            case "LeakyReLU" ->
                graph.node("LeakyRelu", List.of(input), output, OnnxProto.real("alpha", (float)
                        layer.number("negative_slope", 0.01)));
            case "ReLU6" -> {
                graph.initializer(prefix + "min", new int[0], new float[] {0f});
                graph.initializer(prefix + "max", new int[0], new float[] {6f});
                graph.node("Clip", List.of(input, prefix + "min", prefix + "max"), output);
            }
            case "Sigmoid" -> graph.node("Sigmoid", List.of(input), output);
            case "Tanh" -> graph.node("Tanh", List.of(input), output);
            case "Hardswish" -> graph.node("HardSwish", List.of(input), output);
            case "SiLU" -> {
                graph.node("Sigmoid", List.of(input), output + "_sigmoid");
                graph.node("Mul", List.of(input, output + "_sigmoid"), output);
            }
            case "Dropout", "Identity" -> graph.node("Identity", List.of(input), output);
            default ->
                throw new IllegalArgumentException("layer " + layer.index() + " (" + layer.type()
                        + ") has no ONNX opset 17 node in the bench's writer");
        }
        return output;
    }

    private static void convolution(
            OnnxProto.Graph graph, LayerSpec layer, Safetensors weights, String input, String output) {
        boolean transposed = layer.type().equals("ConvTranspose2d");
        String prefix = layer.index() + ".";
        if (!layer.string("padding_mode", "zeros").equals("zeros")) {
            throw new IllegalArgumentException("layer " + layer.index() + " (" + layer.type() + "): padding_mode '"
                    + layer.string("padding_mode", "zeros") + "' has no ONNX Conv attribute");
        }
        IntPair kernel = layer.intPair("kernel_size");
        IntPair stride = layer.intPair("stride", 1);
        IntPair dilation = layer.intPair("dilation", 1);
        List<String> inputs = new ArrayList<>(List.of(input, prefix + "weight"));
        graph.initializer(prefix + "weight", weights.shape(prefix + "weight"), weights.floats(prefix + "weight"));
        if (layer.bool("bias", true)) {
            inputs.add(prefix + "bias");
            graph.initializer(prefix + "bias", weights.shape(prefix + "bias"), weights.floats(prefix + "bias"));
        }
        List<OnnxProto.Message> attributes = new ArrayList<>(List.of(
                OnnxProto.ints("kernel_shape", kernel.height(), kernel.width()),
                OnnxProto.ints("strides", stride.height(), stride.width()),
                OnnxProto.ints("pads", pads(layer, kernel, dilation)),
                OnnxProto.ints("dilations", dilation.height(), dilation.width()),
                OnnxProto.integer("group", layer.integer("groups", 1))));
        if (transposed) {
            IntPair outputPadding = layer.intPair("output_padding", 0);
            attributes.add(OnnxProto.ints("output_padding", outputPadding.height(), outputPadding.width()));
        }
        graph.node(transposed ? "ConvTranspose" : "Conv", inputs, output, attributes.toArray(OnnxProto.Message[]::new));
    }

    /** ONNX's [top, left, bottom, right]; 'same' puts the odd pixel at the bottom and right, as PyTorch does. */
    private static int[] pads(LayerSpec layer, IntPair kernel, IntPair dilation) {
        if (layer.type().equals("ConvTranspose2d")) {
            IntPair padding = layer.intPair("padding", 0);
            return new int[] {padding.height(), padding.width(), padding.height(), padding.width()};
        }
        Padding padding = layer.padding("padding", 0);
        if (padding.isSame()) {
            int totalHeight = dilation.height() * (kernel.height() - 1);
            int totalWidth = dilation.width() * (kernel.width() - 1);
            return new int[] {
                totalHeight / 2, totalWidth / 2, totalHeight - totalHeight / 2, totalWidth - totalWidth / 2
            };
        }
        IntPair amounts = padding.amounts();
        return new int[] {amounts.height(), amounts.width(), amounts.height(), amounts.width()};
    }
}
