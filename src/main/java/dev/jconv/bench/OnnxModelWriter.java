package dev.jconv.bench;

import dev.jconv.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a workload shape as a one-node ONNX model (Conv or ConvTranspose, opset 17) holding a module's weight and
 * bias, so ONNX Runtime can run exactly what jconv runs. A few lines of protobuf encoding stand in for the protobuf
 * and onnx libraries, which the bench would otherwise need for this one message.
 */
final class OnnxModelWriter {

    /** The names of the graph's input and output. */
    static final String INPUT = "X";
    static final String OUTPUT = "Y";

    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
    private static final int ATTRIBUTE_INTS = 7; // AttributeProto.AttributeType.INTS

    // Field numbers from onnx.proto, per message.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_INTS_VALUES = 8;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIMENSION_VALUE = 1;

    private OnnxModelWriter() {
    }

    /**
     * The serialized ModelProto for {@code shape} with {@code weight} (in PyTorch's layout, which is ONNX's too) and
     * {@code bias} (null for none).
     */
    static byte[] write(WorkloadShape shape, Tensor weight, Tensor bias) {
        Message node = new Message()
                .string(NODE_INPUT, INPUT)
                .string(NODE_INPUT, "W");
        if (bias != null) {
            node.string(NODE_INPUT, "B");
        }
        node.string(NODE_OUTPUT, OUTPUT)
                .string(NODE_OP_TYPE, shape.isTransposed() ? "ConvTranspose" : "Conv")
                .message(NODE_ATTRIBUTE, ints("kernel_shape", shape.kernel(), shape.kernel()))
                .message(NODE_ATTRIBUTE, ints("strides", shape.stride(), shape.stride()))
                // ONNX pads are [top, left, bottom, right]; PyTorch pads both sides alike.
                .message(NODE_ATTRIBUTE, ints("pads", shape.padding(), shape.padding(), shape.padding(),
                        shape.padding()))
                .message(NODE_ATTRIBUTE, ints("dilations", shape.dilation(), shape.dilation()))
                .message(NODE_ATTRIBUTE, new Message().string(ATTRIBUTE_NAME, "group")
                        .varint(ATTRIBUTE_I, shape.groups()).varint(ATTRIBUTE_TYPE, ATTRIBUTE_INT));
        if (shape.isTransposed()) {
            node.message(NODE_ATTRIBUTE, ints("output_padding", shape.outputPadding(), shape.outputPadding()));
        }
        Message graph = new Message()
                .message(GRAPH_NODE, node)
                .string(GRAPH_NAME, shape.name())
                .message(GRAPH_INITIALIZER, initializer("W", weight));
        if (bias != null) {
            graph.message(GRAPH_INITIALIZER, initializer("B", bias));
        }
        graph.message(GRAPH_INPUT, floatValue(INPUT, shape.inputShape()))
                .message(GRAPH_OUTPUT, floatValue(OUTPUT, shape.outputShape()));
        return new Message()
                .varint(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "jconv bench")
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new Message().varint(OPSET_VERSION, OPSET)) // default domain: ai.onnx
                .toByteArray();
    }

    private static Message ints(String name, int... values) {
        Message attribute = new Message().string(ATTRIBUTE_NAME, name);
        for (int value : values) {
            attribute.varint(ATTRIBUTE_INTS_VALUES, value);
        }
        return attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_INTS);
    }

    private static Message initializer(String name, Tensor tensor) {
        Message proto = new Message();
        for (int dimension : tensor.shape()) {
            proto.varint(TENSOR_DIMS, dimension);
        }
        float[] values = tensor.toArray();
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN); // ONNX's raw_data
        raw.asFloatBuffer().put(values);
        return proto.varint(TENSOR_DATA_TYPE, FLOAT).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw.array());
    }

    private static Message floatValue(String name, int[] shape) {
        Message dimensions = new Message();
        for (int dimension : shape) {
            dimensions.message(SHAPE_DIM, new Message().varint(DIMENSION_VALUE, dimension));
        }
        Message tensorType = new Message().varint(TENSOR_TYPE_ELEM_TYPE, FLOAT)
                .message(TENSOR_TYPE_SHAPE, dimensions);
        return new Message().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new Message().message(TYPE_TENSOR_TYPE, tensorType));
    }

    /** One protobuf message, its fields appended in order: varints (wire type 0) and length-delimited bytes (2). */
    private static final class Message {

        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint(((long) field << 3) | VARINT);
            writeVarint(value);
            return this;
        }

        Message bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | LENGTH_DELIMITED);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        /** Seven bits per byte, least significant first, the high bit set on every byte but the last. */
        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
        }
    }
}
