package dev.jconv.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few ONNX protobuf messages the bench writes (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto), encoded by hand: a few lines stand in for the protobuf and onnx libraries. Field numbers are
 * onnx.proto's. Models use opset 17 of the default domain.
 */
final class OnnxProto {

    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

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
    private static final int ATTRIBUTE_F = 2;
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

    private OnnxProto() {}

    /** A graph under construction: nodes in order, float initializers, one float input and one float output. */
    static final class Graph {
        private final Message graph = new Message();
        private final List<Message> initializers = new ArrayList<>();

        Graph(String name) {
            graph.string(GRAPH_NAME, name);
        }

        /** Adds a node; its attributes come from {@link #ints}, {@link #integer} and {@link #real}. */
        Graph node(String opType, List<String> inputs, String output, Message... attributes) {
            Message node = new Message();
            for (String input : inputs) {
                node.string(NODE_INPUT, input);
            }
            node.string(NODE_OUTPUT, output).string(NODE_OP_TYPE, opType);
            for (Message attribute : attributes) {
                node.message(NODE_ATTRIBUTE, attribute);
            }
            graph.message(GRAPH_NODE, node);
            return this;
        }

        /** A float tensor the graph holds (a weight), as little-endian raw data. */
        Graph initializer(String name, int[] shape, float[] values) {
            Message proto = new Message();
            for (int dimension : shape) {
                proto.varint(TENSOR_DIMS, dimension);
            }
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            initializers.add(proto.varint(TENSOR_DATA_TYPE, FLOAT)
                    .string(TENSOR_NAME, name)
                    .bytes(TENSOR_RAW_DATA, raw.array()));
            return this;
        }

        /**
         * The serialized ModelProto, with {@code input} of {@code inputShape} and {@code output} of
         * {@code outputShape} (null: a float tensor of unstated shape, which ONNX Runtime infers).
         */
        byte[] model(String input, int[] inputShape, String output, int[] outputShape) {
            for (Message initializer : initializers) {
                graph.message(GRAPH_INITIALIZER, initializer);
            }
            graph.message(GRAPH_INPUT, floatValue(input, inputShape))
                    .message(GRAPH_OUTPUT, floatValue(output, outputShape));
            return new Message()
                    .varint(MODEL_IR_VERSION, IR_VERSION)
                    .string(MODEL_PRODUCER_NAME, "jconv bench")
                    .message(MODEL_GRAPH, graph)
                    .message(MODEL_OPSET_IMPORT, new Message().varint(OPSET_VERSION, OPSET))
                    .toByteArray();
        }
    }

    static Message ints(String name, int... values) {
        Message attribute = new Message().string(ATTRIBUTE_NAME, name);
        for (int value : values) {
            attribute.varint(ATTRIBUTE_INTS_VALUES, value);
        }
        return attribute.varint(ATTRIBUTE_TYPE, ATTRIBUTE_INTS);
    }

    static Message integer(String name, int value) {
        return new Message()
                .string(ATTRIBUTE_NAME, name)
                .varint(ATTRIBUTE_I, value)
                .varint(ATTRIBUTE_TYPE, ATTRIBUTE_INT);
    }

    static Message real(String name, float value) {
        return new Message()
                .string(ATTRIBUTE_NAME, name)
                .fixed32(ATTRIBUTE_F, Float.floatToRawIntBits(value))
                .varint(ATTRIBUTE_TYPE, ATTRIBUTE_FLOAT);
    }

    private static Message floatValue(String name, int[] shape) {
        Message tensorType = new Message().varint(TENSOR_TYPE_ELEM_TYPE, FLOAT);
        if (shape != null) {
            Message dimensions = new Message();
            for (int dimension : shape) {
                dimensions.message(SHAPE_DIM, new Message().varint(DIMENSION_VALUE, dimension));
            }
            tensorType.message(TENSOR_TYPE_SHAPE, dimensions);
        }
        return new Message()
                .string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new Message().message(TYPE_TENSOR_TYPE, tensorType));
    }

    /** One protobuf message, its fields appended in order: varints (wire type 0), fixed32 (5), bytes (2). */
    static final class Message {

        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;
        private static final int FIXED32 = 5;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint(((long) field << 3) | VARINT);
            writeVarint(value);
            return this;
        }

        Message fixed32(int field, int value) {
            writeVarint(((long) field << 3) | FIXED32);
            for (int shift = 0; shift < 32; shift += 8) {
                out.write((value >>> shift) & 0xFF);
            }
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
