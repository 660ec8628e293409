package dev.jconv.bench;

import dev.jconv.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a workload shape as a one-node ONNX model (Conv or ConvTranspose, opset 17) holding a module's weight and
 * bias, so ONNX Runtime can run exactly what jconv runs.
 */
final class OnnxModelWriter {

    /** The names of the graph's input and output. */
    static final String INPUT = "X";

    static final String OUTPUT = "Y";

    private OnnxModelWriter() {}

    /**
     * The serialized ModelProto for {@code shape} with {@code weight} (in PyTorch's layout, which is ONNX's too) and
     * {@code bias} (null for none).
     */
    static byte[] write(WorkloadShape shape, Tensor weight, Tensor bias) {
        OnnxProto.Graph graph = new OnnxProto.Graph(shape.name());
        List<String> inputs = new ArrayList<>(List.of(INPUT, "W"));
        graph.initializer("W", weight.shape(), weight.toArray());
        if (bias != null) {
            inputs.add("B");
            graph.initializer("B", bias.shape(), bias.toArray());
        }
        List<OnnxProto.Message> attributes = new ArrayList<>(List.of(
                OnnxProto.ints("kernel_shape", shape.kernel(), shape.kernel()),
                OnnxProto.ints("strides", shape.stride(), shape.stride()),
                // ONNX pads are [top, left, bottom, right]; PyTorch pads both sides alike.
                OnnxProto.ints("pads", shape.padding(), shape.padding(), shape.padding(), shape.padding()),
                OnnxProto.ints("dilations", shape.dilation(), shape.dilation()),
                OnnxProto.integer("group", shape.groups())));
        if (shape.isTransposed()) {
            attributes.add(OnnxProto.ints("output_padding", shape.outputPadding(), shape.outputPadding()));
        }
        graph.node(
                shape.isTransposed() ? "ConvTranspose" : "Conv",
                inputs,
                OUTPUT,
                attributes.toArray(OnnxProto.Message[]::new));
        return graph.model(INPUT, shape.inputShape(), OUTPUT, shape.outputShape());
    }
}
