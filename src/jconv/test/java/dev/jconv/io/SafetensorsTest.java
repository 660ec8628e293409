package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors: round trips through the writer, every dtype decoded from hand-built bytes, files written by PyTorch,
 * and a clear error (never an OutOfMemoryError) for every kind of malformed file.
 */
class SafetensorsTest {

    @TempDir
    Path directory;

    private int fileNumber;

    @Test
    void roundTripsThroughTheWriterInOrder() throws IOException {
        Map<String, Npy.Array> tensors = new LinkedHashMap<>();
        tensors.put("2.weight", new Npy.Array(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.NaN, -0f, 1e-40f}));
        tensors.put("10.bias", new Npy.Array(new int[] {2}, new float[] {Float.POSITIVE_INFINITY, 7}));
        tensors.put("scalar", new Npy.Array(new int[] {}, new float[] {42}));
        tensors.put("empty", new Npy.Array(new int[] {0, 3}, new float[0]));
        tensors.put("naïve \"quoted\"\n", new Npy.Array(new int[] {1, 1, 1, 1}, new float[] {0.25f}));
        Path file = directory.resolve("round.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt", "note", "written by a test"));

        Safetensors read = Safetensors.open(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.names()), "names keep the writer's order");
        assertEquals(Map.of("format", "pt", "note", "written by a test"), read.metadata());
        for (Map.Entry<String, Npy.Array> tensor : tensors.entrySet()) {
            assertArrayEquals(tensor.getValue().shape(), read.shape(tensor.getKey()), tensor.getKey());
            assertArrayEquals(tensor.getValue().data(), read.floats(tensor.getKey()), tensor.getKey());
            assertEquals("F32", read.dtype(tensor.getKey()));
            assertTrue(read.isFloating(tensor.getKey()));
        }
        ByteBuffer start = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = start.getLong();
        assertEquals(0, headerLength % 8, "the header is padded so the data starts on an 8-byte boundary");
        assertEquals(8 + headerLength + (6 + 2 + 1 + 0 + 1) * 4, Files.size(file));
    }

    @Test
    void writerRefusesAShapeThatDoesNotMatchItsData() {
        Map<String, Npy.Array> tensors = Map.of("w", new Npy.Array(new int[] {2, 2}, new float[3]));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Safetensors.write(directory.resolve("bad.safetensors"), tensors));
        assertTrue(e.getMessage().contains("tensor 'w': shape [2, 2] does not match 3 values"), e.getMessage());
    }

    @Test
    void decodesEveryFloatingDtype() throws IOException {
        // A one-byte tensor first, so every tensor after it starts at an odd, unaligned offset.
        Bytes data = new Bytes();
        String header = "{"
                + entry("pad", "U8", "[1]", data.bytes(7))
                + "," + entry("f32", "F32", "[4]", data.f32(1.5f, -0f, Float.NEGATIVE_INFINITY, 3.4028235e38f))
                + "," + entry("f64", "F64", "[2,2]", data.f64(0.1, -1e300, 1e-50, 2.5))
                + ","
                + entry(
                        "f16",
                        "F16",
                        "[12]",
                        data.u16(
                                0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x8000, 0x3555,
                                0x8001))
                + "," + entry("bf16", "BF16", "[6]", data.u16(0x3F80, 0xC040, 0x7F80, 0x7FC0, 0x0001, 0x4049))
                + "," + entry("e4m3", "F8_E4M3", "[6]", data.bytes(0x38, 0x7E, 0x7F, 0x01, 0xB8, 0x08))
                + "," + entry("e5m2", "F8_E5M2", "[5]", data.bytes(0x3C, 0x7C, 0xFC, 0x01, 0x7B))
                + "}";
        Safetensors file = Safetensors.open(write(header, data.toArray()));

        assertArrayEquals(new float[] {1.5f, -0f, Float.NEGATIVE_INFINITY, 3.4028235e38f}, file.floats("f32"));
        // F64 rounds to the nearest float; out of float range becomes infinity, tiny values become zero.
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY, 0f, 2.5f}, file.floats("f64"));
        assertArrayEquals(new int[] {2, 2}, file.shape("f64"));
        assertArrayEquals(
                new float[] {
                    1,
                    -2,
                    0x1p-24f,
                    1023 * 0x1p-24f,
                    0x1p-14f,
                    65504,
                    Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY,
                    Float.NaN,
                    -0f,
                    0.333251953125f,
                    -0x1p-24f
                },
                file.floats("f16"));
        assertArrayEquals(
                new float[] {1, -3, Float.POSITIVE_INFINITY, Float.NaN, 0x1p-133f, 3.140625f}, file.floats("bf16"));
        assertArrayEquals(new float[] {1, 448, Float.NaN, 0x1p-9f, -1, 0x1p-6f}, file.floats("e4m3"));
        assertArrayEquals(
                new float[] {1, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p-16f, 57344},
                file.floats("e5m2"));
        assertEquals(List.of("pad", "f32", "f64", "f16", "bf16", "e4m3", "e5m2"), List.copyOf(file.names()));
        assertEquals("BF16", file.dtype("bf16"));
    }

    @Test
    void everyHalfPrecisionValueMatchesItsDefinition() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double expected;
            if (exponent == 0x1f) {
                expected = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            } else if (exponent == 0) {
                expected = mantissa * Math.pow(2, -24);
            } else {
                expected = (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            }
            expected = sign == 1 ? -expected : expected;
            float actual = SmallFloats.halfToFloat((short) bits);
            String hex = "half bits 0x" + Integer.toHexString(0x10000 | bits).substring(1);
            assertEquals(Float.floatToIntBits((float) expected), Float.floatToIntBits(actual), hex);
            assertEquals(sign == 1, (Float.floatToRawIntBits(actual) & 0x8000_0000) != 0, hex + ": sign kept");
        }
    }

    @Test
    void integerDtypesAreListedButDoNotConvert() throws IOException {
        Bytes data = new Bytes();
        String header = "{" + entry("0.num_batches_tracked", "I64", "[]", data.bytes(7, 0, 0, 0, 0, 0, 0, 0))
                + "," + entry("mask", "BOOL", "[3]", data.bytes(1, 0, 1))
                + "," + entry("ids", "I32", "[2]", data.bytes(1, 0, 0, 0, 2, 0, 0, 0))
                + "," + entry("w", "F32", "[1]", data.f32(2)) + "}";
        Safetensors file = Safetensors.open(write(header, data.toArray()));
        assertEquals(List.of("0.num_batches_tracked", "mask", "ids", "w"), List.copyOf(file.names()));
        assertEquals("I64", file.dtype("0.num_batches_tracked"));
        assertArrayEquals(new int[0], file.shape("0.num_batches_tracked"));
        assertFalse(file.isFloating("0.num_batches_tracked"));
        assertFalse(file.isFloating("mask"));
        assertArrayEquals(new float[] {2}, file.floats("w"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.floats("0.num_batches_tracked"));
        assertContains(
                e.getMessage(),
                "tensor '0.num_batches_tracked' has dtype I64, which does not convert to"
                        + " float32; only F64, F32, F16, BF16, F8_E5M2, F8_E4M3 do");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> file.floats("x"));
        assertContains(missing.getMessage(), "no tensor named 'x'; the file holds 0.num_batches_tracked, mask, ids, w");
    }

    @Test
    void tensorsThatStraddleMappedWindowsReadTheSame() throws IOException {
        // Windows of 3 bytes put window starts inside elements of every size; the reader must not care.
        Bytes data = new Bytes();
        float[] f32 = {1, 2, 3, 4, 5, 6, 7};
        double[] f64 = {0.5, -1.5, 2.25};
        String header = "{" + entry("pad", "U8", "[1]", data.bytes(0))
                + "," + entry("f32", "F32", "[7]", data.f32(f32))
                + "," + entry("f16", "F16", "[5]", data.u16(0x3C00, 0x4000, 0x4200, 0x4400, 0x4500))
                + "," + entry("f64", "F64", "[3]", data.f64(f64)) + "}";
        Path path = write(header, data.toArray());
        for (long window : new long[] {3, 5, 8, 1 << 30}) {
            Safetensors file = Safetensors.open(path, window);
            assertArrayEquals(f32, file.floats("f32"), "window " + window);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, file.floats("f16"), "window " + window);
            assertArrayEquals(new float[] {0.5f, -1.5f, 2.25f}, file.floats("f64"), "window " + window);
        }
    }

    @Test
    void readsWhatPyTorchWrites() throws IOException, URISyntaxException {
        // Written by scripts/gen-safetensors-fixture.py: the same values in several dtypes, with torch's own
        // float32 conversion of each ("<dtype>_as_f32") as the expected result.
        Path path = Path.of(SafetensorsTest.class
                .getResource("/safetensors/torch-dtypes.safetensors")
                .toURI());
        Safetensors file = Safetensors.open(path);
        int checked = 0;
        for (String name : file.names()) {
            if (name.endsWith("_as_f32")) {
                String source = name.substring(0, name.length() - "_as_f32".length());
                assertArrayEquals(file.shape(name), file.shape(source), source);
                float[] expected = file.floats(name);
                float[] actual = file.floats(source);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(
                            Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), source + "[" + i + "]");
                }
                checked++;
            }
        }
        assertEquals(
                List.of("F64", "F32", "F16", "BF16", "I64"),
                List.of(
                        file.dtype("f64"),
                        file.dtype("f32"),
                        file.dtype("f16"),
                        file.dtype("bf16"),
                        file.dtype("i64")));
        assertEquals(4, checked, "f64, f32, f16 and bf16 each compared");
        assertFalse(file.isFloating("i64"));
        assertEquals("pt", file.metadata().get("format"));
    }

    @Test
    void refusesMalformedFiles() throws IOException {
        rejects(raw(new byte[5]), "the file is 5 bytes long, too short for a safetensors file");
        rejects(raw(new byte[0]), "the file is 0 bytes long");
        rejects(
                withHeaderLength(1L << 62, 16),
                "header length 4611686018427387904 bytes is over the limit of" + " 100000000 bytes");
        rejects(withHeaderLength(-1L, 16), "header length 18446744073709551615 bytes is over the limit");
        rejects(withHeaderLength(100_000_001L, 16), "header length 100000001 bytes is over the limit");
        rejects(
                withHeaderLength(64, 16),
                "header length 64 bytes runs past the end of the file (24 bytes, so at" + " most 16 bytes of header)");
        rejects(write("{\"a\": ", new byte[0]), "the header is not valid JSON");
        rejects(write("[1, 2]", new byte[0]), "the header is a JSON array, but a safetensors header is a JSON object");
        // A hostile header nests arrays 200,000 deep: the JSON reader stops at 1000 levels instead of overflowing the
        // stack.
        rejects(
                write("[".repeat(200_000), new byte[0]),
                "Document nesting depth (1001) exceeds the maximum allowed (1000");
        rejects(rawHeader(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}), "the header is not valid UTF-8");
        rejects(
                write("{\"w\": [1]}", new byte[0]),
                "tensor 'w' is a JSON array, but each tensor's entry must be an" + " object");
        rejects(
                write("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]),
                "tensor 'w' has no \"dtype\"");
        rejects(
                write("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", new byte[4]),
                "tensor 'w' has no \"shape\"");
        rejects(
                write("{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", new byte[4]),
                "tensor 'w' has no \"data_offsets\"");
        rejects(
                write(entryObject("w", "\"F17\"", "[1]", "[0, 4]"), new byte[4]),
                "tensor 'w' has unknown dtype \"F17\"; the accepted dtypes are F64, F32, F16, BF16, F8_E5M2,"
                        + " F8_E4M3, I64, I32, I16, I8, U64, U32, U16, U8, BOOL");
        rejects(write(entryObject("w", "4", "[1]", "[0, 4]"), new byte[4]), "tensor 'w': dtype is a JSON number");
        rejects(
                write(entryObject("w", "\"F32\"", "[2, -1]", "[0, 4]"), new byte[4]),
                "tensor 'w' has shape [2, -1] with negative dimension -1");
        rejects(
                write(entryObject("w", "\"F32\"", "[1.5]", "[0, 4]"), new byte[4]),
                "tensor 'w': shape holds a JSON number (1.5), but it must be a list of integers");
        rejects(
                write(entryObject("w", "\"F32\"", "3", "[0, 4]"), new byte[4]),
                "tensor 'w': shape is a JSON number, but it must be a list of integers");
        rejects(
                write(entryObject("w", "\"F32\"", "[1]", "[4, 0]"), new byte[4]),
                "tensor 'w' has data_offsets [4, 0]; they must satisfy 0 <= begin <= end");
        rejects(
                write(entryObject("w", "\"F32\"", "[1]", "[-4, 0]"), new byte[4]),
                "tensor 'w' has data_offsets [-4, 0]; they must satisfy 0 <= begin <= end");
        rejects(
                write(entryObject("w", "\"F32\"", "[1]", "[0]"), new byte[4]),
                "tensor 'w' has data_offsets [0]; it must be two integers [begin, end]");
        rejects(
                write(entryObject("w", "\"F32\"", "[2]", "[0, 8]"), new byte[4]),
                "tensor 'w' has data_offsets [0, 8], which end past the end of the data (4 bytes after the header)");
        rejects(
                write(entryObject("w", "\"F32\"", "[3]", "[0, 8]"), new byte[8]),
                "tensor 'w' has data_offsets [0, 8] (8 bytes), but shape [3] of F32 needs 3 x 4 = 12 bytes");
        rejects(write(entryObject("w", "\"F16\"", "[3]", "[0, 8]"), new byte[8]), "needs 3 x 2 = 6 bytes");
        rejects(
                write(entryObject("w", "\"F32\"", "[100000, 100000, 100]", "[0, 12]"), new byte[12]),
                "tensor 'w' has shape [100000, 100000, 100]: 1000000000000 elements, more than a Java array can hold");
        rejects(
                write(entryObject("w", "\"F32\"", "[2147483647, 2147483647, 2147483647]", "[0, 12]"), new byte[12]),
                "over 9223372036854775807 elements");
        rejects(
                write(entryObject("w", "\"F32\"", "[4294967296]", "[0, 12]"), new byte[12]),
                "tensor 'w' has shape [4294967296] with dimension 4294967296");
        rejects(
                write(
                        "{" + entry("a", "F32", "[2]", "[0, 8]") + "," + entry("b", "F32", "[2]", "[4, 12]") + "}",
                        new byte[12]),
                "tensors 'a' (bytes [0, 8)) and 'b' (bytes [4, 12)) overlap");
        rejects(
                write(
                        "{" + entry("big", "F32", "[4]", "[0, 16]") + "," + entry("c", "F32", "[1]", "[16, 20]") + ","
                                + entry("inside", "F32", "[1]", "[8, 12]") + "}",
                        new byte[20]),
                "tensors 'big' (bytes [0, 16)) and 'inside' (bytes [8, 12)) overlap");
        rejects(
                write("{\"__metadata__\": {\"n\": 1}}", new byte[0]),
                "\"__metadata__\" entry \"n\" is a JSON number, but metadata values must be strings");
        rejects(directory, "is a directory");
        assertThrows(NoSuchFileException.class, () -> Safetensors.open(directory.resolve("missing.safetensors")));
    }

    @Test
    void acceptsEmptyAndUnusualButValidFiles() throws IOException {
        assertTrue(Safetensors.open(write("{}", new byte[0])).names().isEmpty());
        // Two empty tensors at the same offset occupy no bytes, so they do not overlap.
        Safetensors file = Safetensors.open(write(
                "{" + entry("a", "F32", "[0]", "[0, 0]") + "," + entry("b", "F16", "[2, 0]", "[0, 0]") + "}",
                new byte[0]));
        assertArrayEquals(new float[0], file.floats("b"));
        assertArrayEquals(new int[] {2, 0}, file.shape("b"));
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** Little-endian bytes of the data section, handing out each tensor's data_offsets as it grows. */
    private static final class Bytes {
        private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

        String bytes(int... values) {
            int begin = buffer.position();
            for (int value : values) {
                buffer.put((byte) value);
            }
            return offsets(begin);
        }

        String u16(int... values) {
            int begin = buffer.position();
            for (int value : values) {
                buffer.putShort((short) value);
            }
            return offsets(begin);
        }

        String f32(float... values) {
            int begin = buffer.position();
            for (float value : values) {
                buffer.putFloat(value);
            }
            return offsets(begin);
        }

        String f64(double... values) {
            int begin = buffer.position();
            for (double value : values) {
                buffer.putDouble(value);
            }
            return offsets(begin);
        }

        private String offsets(int begin) {
            return "[" + begin + ", " + buffer.position() + "]";
        }

        byte[] toArray() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": " + offsets
                + "}";
    }

    private static String entryObject(String name, String dtypeJson, String shape, String offsets) {
        return "{\"" + name + "\": {\"dtype\": " + dtypeJson + ", \"shape\": " + shape + ", \"data_offsets\": "
                + offsets + "}}";
    }

    private Path write(String header, byte[] data) throws IOException {
        return rawHeader(header.getBytes(StandardCharsets.UTF_8), data);
    }

    private Path rawHeader(byte[] header, byte... data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).put(data);
        return raw(bytes.array());
    }

    private Path withHeaderLength(long headerLength, int bytesAfter) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + bytesAfter).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(headerLength);
        return raw(bytes.array());
    }

    private Path raw(byte[] bytes) throws IOException {
        Path file = directory.resolve("case" + fileNumber++ + ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    private static void rejects(Path file, String expected) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        assertContains(e.getMessage(), expected);
    }

    private static void assertContains(String message, String expected) {
        assertTrue(
                message.contains(expected),
                "expected the message to contain\n  " + expected + "\nbut it was\n  " + message);
    }
}
