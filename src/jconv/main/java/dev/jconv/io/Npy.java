package dev.jconv.io;

import dev.jconv.Tensor;
import dev.jconv.files.AtomicFiles;
import dev.jconv.geometry.Shapes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy's .npy format for float32, little-endian, C-order arrays of any rank: what
 * {@code np.save(path, a.astype('<f4'))} writes. Anything else is refused with a message that says what was found,
 * and the header's shape is checked against the file's size before any array is allocated.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private Npy() {}

    /** The array in {@code file} as a host tensor. */
    public static Tensor read(Path file) throws IOException {
        Array array = readArray(file);
        return Tensor.of(array.data(), array.shape());
    }

    /** A float32 array and its shape. */
    public record Array(int[] shape, float[] data) {}

    /**
     * Reads {@code file}.
     *
     * @throws NpyFormatException when it is not a float32 little-endian C-order .npy array, or is truncated
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static Array readArray(Path file) throws IOException {
        try (FileChannel channel = InputFiles.open(file, "a .npy file", NpyFormatException::new)) {
            long fileSize = channel.size();
            ByteBuffer preamble = readExactly(channel, 10, file, "the .npy preamble");
            byte[] magic = new byte[MAGIC.length];
            preamble.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new NpyFormatException(file + ": not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = preamble.get() & 0xff;
            preamble.get(); // minor version: no format difference that matters here
            long headerLength;
            long headerStart;
            if (major == 1) {
                headerLength = preamble.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                ByteBuffer extra = readExactly(channel, 2, file, "the .npy header length");
                headerLength = ByteBuffer.allocate(4)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .put(preamble.array(), 8, 2)
                                .put(extra.array())
                                .getInt(0)
                        & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new NpyFormatException(file + ": unsupported .npy format version " + major);
            }
            if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > fileSize) {
                throw new NpyFormatException(file + ": truncated or corrupt .npy header (header length " + headerLength
                        + ", file size " + fileSize + " bytes)");
            }
            ByteBuffer headerBytes = readExactly(channel, (int) headerLength, file, "the .npy header");
            String header =
                    new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            int[] shape = parseHeader(file, header);
            long dataStart = headerStart + headerLength;
            long count = 1;
            for (int dim : shape) {
                count *= dim;
                if (count > Integer.MAX_VALUE - 8) {
                    throw new NpyFormatException(
                            file + ": shape " + Shapes.format(shape) + " is larger than jconv can hold in one array");
                }
            }
            long needed = count * Float.BYTES;
            long available = fileSize - dataStart;
            if (available < needed) {
                throw new NpyFormatException(file + ": truncated: shape " + Shapes.format(shape) + " needs " + needed
                        + " bytes of float32 data but the file holds " + available);
            }
            if (available > needed) {
                throw new NpyFormatException(file + ": " + (available - needed)
                        + " unexpected bytes after the data of shape " + Shapes.format(shape));
            }
            ByteBuffer data = readExactly(channel, (int) needed, file, "the array data");
            float[] values = new float[(int) count];
            data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return new Array(shape, values);
        }
    }

    private static int[] parseHeader(Path file, String header) throws NpyFormatException {
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new NpyFormatException(file + ": corrupt .npy header: " + header.trim());
        }
        String dtype = descr.group(1);
        if (!dtype.equals("<f4")) {
            throw new NpyFormatException(file + ": dtype '" + dtype + "' is not supported; jconv reads float32"
                    + " little-endian ('<f4') only (use a.astype('<f4') before np.save)");
        }
        if (fortran.group(1).equals("True")) {
            throw new NpyFormatException(file + ": Fortran-order arrays are not supported; save a C-order array"
                    + " (np.ascontiguousarray)");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : shape.group(1).split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                long dim = Long.parseLong(trimmed.endsWith("L") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
                if (dim < 0 || dim > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                dims.add((int) dim);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(file + ": corrupt .npy shape (" + shape.group(1) + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static ByteBuffer readExactly(FileChannel channel, int bytes, Path file, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new NpyFormatException(file + ": truncated while reading " + what);
            }
        }
        buffer.flip();
        return buffer;
    }

    /** Writes a host copy of {@code tensor} to {@code file}; see {@link #write(Path, int[], float[])}. */
    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor.shape(), tensor.toArray());
    }

    /**
     * Writes a version 1.0 .npy file, atomically: the bytes go to a temporary file beside {@code file} that is renamed
     * into place only when complete, so a failure never leaves a half-written file.
     */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        if (Shapes.elementCount(shape) != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Shapes.format(shape) + " does not match " + data.length + " values");
        }
        AtomicFiles.write(file, out -> {
            out.write(header(shape));
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : data) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(value);
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    /** The magic, version 1.0, and a dict padded with spaces so the data starts on a 64-byte boundary. */
    private static byte[] header(int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int dim : shape) {
            dims.append(dim).append(", ");
        }
        String shapeText = shape.length == 1
                ? "(" + shape[0] + ",)"
                : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer header =
                ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        header.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return header.array();
    }
}
