package dev.jconv.io;

import dev.jconv.files.AtomicFiles;
import dev.jconv.files.Json;
import dev.jconv.geometry.Shapes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tensors of a safetensors file (what {@code safetensors.torch.save_file} writes), converting floating
 * types to float32, and writes float32 ones. The whole header is checked when the file is opened, before any tensor
 * is read, so that a corrupt or hostile file gives an error naming the problem rather than an OutOfMemoryError or
 * wrong numbers later. The data is memory-mapped, so opening a large checkpoint costs no heap.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, "__metadata__": {...}}}), then the
 * data; offsets count from the first byte after the header. Instances are immutable and safe to share between
 * threads. There is nothing to close: Java 17 cannot unmap a file on demand, so the mapping goes when the instance is
 * garbage-collected (until then, Windows will not delete the file).
 */
public final class Safetensors {

    /** Headers longer than this are refused before any of it is read: real headers are kilobytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int HEADER_LENGTH_BYTES = 8;
    private static final String METADATA_KEY = "__metadata__";
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * One MappedByteBuffer holds at most 2 GiB, so the data is mapped as a row of windows that start every
     * WINDOW_BYTES bytes. Each window reaches one element further than the next window's start, so every element
     * lies whole inside the window where it starts, whatever its (possibly unaligned) offset.
     */
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path file;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final long windowBytes;
    private final MappedByteBuffer[] windows;

    /** One tensor's header entry, validated: offsets are relative to the data start and match shape and dtype. */
    private record Entry(String name, SafetensorsDtype dtype, int[] shape, int count, long begin, long end) {}

    private Safetensors(
            Path file,
            Map<String, Entry> entries,
            Map<String, String> metadata,
            long windowBytes,
            MappedByteBuffer[] windows) {
        this.file = file;
        this.entries = entries;
        this.metadata = metadata;
        this.windowBytes = windowBytes;
        this.windows = windows;
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws SafetensorsFormatException naming the file and the problem when it is not a well-formed safetensors
     *     file
     * @throws NoSuchFileException when it does not exist
     */
    public static Safetensors open(Path file) throws IOException {
        return open(file, WINDOW_BYTES);
    }

    /** As {@link #open(Path)}, with a chosen window size so tests can make tensors straddle window starts. */
    static Safetensors open(Path file, long windowBytes) throws IOException {
        try (FileChannel channel = InputFiles.open(file, "a safetensors file", SafetensorsFormatException::new)) {
            long fileSize = channel.size();
            if (fileSize < HEADER_LENGTH_BYTES) {
                throw new SafetensorsFormatException(file + ": the file is " + fileSize + " bytes long, too short for"
                        + " a safetensors file, which starts with an 8-byte header length");
            }
            long headerLength = readFully(channel, 0, HEADER_LENGTH_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
            // Unsigned: a length of 2^63 or more reads as negative, and must be refused as too long, not as short.
            if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
                throw new SafetensorsFormatException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " bytes is over the limit of " + MAX_HEADER_BYTES + " bytes (is this a safetensors file?)");
            }
            if (HEADER_LENGTH_BYTES + headerLength > fileSize) {
                throw new SafetensorsFormatException(file + ": header length " + headerLength + " bytes runs past the"
                        + " end of the file (" + fileSize + " bytes, so at most " + (fileSize - HEADER_LENGTH_BYTES)
                        + " bytes of header)");
            }
            String header = decodeUtf8(file, readFully(channel, HEADER_LENGTH_BYTES, (int) headerLength));
            long dataStart = HEADER_LENGTH_BYTES + headerLength;
            long dataLength = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(file, header, dataLength, metadata);
            checkNoOverlap(file, entries.values());
            MappedByteBuffer[] windows = mapWindows(channel, dataStart, dataLength, windowBytes);
            return new Safetensors(
                    file,
                    Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata),
                    windowBytes,
                    windows);
        }
    }

    /** The tensor names, in the order the header lists them. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The free-form string metadata of the header's {@code __metadata__} entry; empty when there is none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's shape (a copy). */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** The tensor's dtype as the file spells it: {@code F32}, {@code F16}, {@code BF16}, {@code I64}, ... */
    public String dtype(String name) {
        return entry(name).dtype().name();
    }

    /** Whether {@link #floats} can read the tensor: its dtype is a floating-point type. */
    public boolean isFloating(String name) {
        return entry(name).dtype().floating;
    }

    /**
     * The tensor's values as float32, in C order. F64 values are rounded to the nearest float; F16, BF16 and the
     * float8 types widen exactly.
     *
     * @throws IllegalArgumentException when there is no such tensor, or its dtype is not a floating-point type
     */
    public float[] floats(String name) {
        Entry entry = entry(name);
        if (!entry.dtype().floating) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has dtype " + entry.dtype()
                    + ", which does not convert to float32; only " + SafetensorsDtype.floatingNames() + " do");
        }
        int size = entry.dtype().size;
        float[] values = new float[entry.count()];
        int done = 0;
        long offset = entry.begin();
        while (done < values.length) {
            int window = (int) (offset / windowBytes);
            int local = (int) (offset - window * windowBytes);
            int count = Math.min(values.length - done, (windows[window].capacity() - local) / size);
            ByteBuffer bytes = windows[window].slice(local, count * size).order(ByteOrder.LITTLE_ENDIAN);
            decode(entry.dtype(), bytes, count, values, done);
            done += count;
            offset += (long) count * size;
        }
        return values;
    }

    private static void decode(SafetensorsDtype dtype, ByteBuffer bytes, int count, float[] values, int start) {
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().get(values, start, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    values[start + i] = (float) bytes.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    values[start + i] = SmallFloats.halfToFloat(bytes.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    values[start + i] = SmallFloats.bfloat16ToFloat(bytes.getShort(i * 2));
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < count; i++) {
                    values[start + i] = SmallFloats.e5m2ToFloat(bytes.get(i));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) {
                    values[start + i] = SmallFloats.e4m3ToFloat(bytes.get(i));
                }
            }
            default -> throw new IllegalStateException("no float32 conversion for " + dtype);
        }
    }

    private Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(file + ": no tensor named '" + name + "'; the file holds "
                    + (entries.isEmpty() ? "none" : describeNames()));
        }
        return entry;
    }

    /** The names for an error message: all of them when few, else the first few and a count. */
    private String describeNames() {
        int shown = 20;
        List<String> names = new ArrayList<>(entries.keySet());
        String list = String.join(", ", names.subList(0, Math.min(shown, names.size())));
        return names.size() <= shown ? list : list + ", ... (" + names.size() + " in all)";
    }

    // ---------------------------------------------------------------------------------------------- header checks

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws SafetensorsFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file + ": the header is not valid UTF-8 (" + e + ")", e);
        }
    }

    private static Map<String, Entry> parseHeader(
            Path file, String header, long dataLength, Map<String, String> metadata) throws SafetensorsFormatException {
        Object root;
        try {
            root = Json.parse(header);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file + ": the header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw new SafetensorsFormatException(
                    file + ": the header is a JSON " + jsonType(root) + ", but a safetensors header is a JSON object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, member.getValue(), metadata);
            } else {
                entries.put(name, parseEntry(file, name, member.getValue(), dataLength));
            }
        }
        return entries;
    }

    private static void readMetadata(Path file, Object value, Map<String, String> metadata)
            throws SafetensorsFormatException {
        if (!(value instanceof Map<?, ?> members)) {
            throw new SafetensorsFormatException(file + ": \"" + METADATA_KEY + "\" is a JSON " + jsonType(value)
                    + ", but it must be an object of strings");
        }
        for (Map.Entry<?, ?> member : members.entrySet()) {
            if (!(member.getValue() instanceof String text)) {
                throw new SafetensorsFormatException(file + ": \"" + METADATA_KEY + "\" entry \"" + member.getKey()
                        + "\" is a JSON " + jsonType(member.getValue()) + ", but metadata values must be strings");
            }
            metadata.put((String) member.getKey(), text);
        }
    }

    private static Entry parseEntry(Path file, String name, Object value, long dataLength)
            throws SafetensorsFormatException {
        String where = file + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> fields)) {
            throw new SafetensorsFormatException(where + " is a JSON " + jsonType(value) + ", but each tensor's"
                    + " entry must be an object with dtype, shape and data_offsets");
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!fields.containsKey(key)) {
                throw new SafetensorsFormatException(where + " has no \"" + key + "\"; each tensor's entry needs"
                        + " dtype, shape and data_offsets");
            }
        }
        if (!(fields.get("dtype") instanceof String dtypeName)) {
            throw new SafetensorsFormatException(where + ": dtype is a JSON " + jsonType(fields.get("dtype"))
                    + ", but it must be a string such as \"F32\"");
        }
        SafetensorsDtype dtype = SafetensorsDtype.named(dtypeName);
        if (dtype == null) {
            throw new SafetensorsFormatException(where + " has unknown dtype \"" + dtypeName + "\"; the accepted"
                    + " dtypes are " + SafetensorsDtype.allNames());
        }
        List<Long> dims = integers(where + ": shape", fields.get("shape"));
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long dim = dims.get(i);
            if (dim < 0) {
                throw new SafetensorsFormatException(where + " has shape " + dims + " with negative dimension " + dim
                        + "; dimensions must be 0 or more");
            }
            if (dim > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(where + " has shape " + dims + " with dimension " + dim
                        + ", more elements than a Java array can hold (" + LARGEST_ARRAY + ")");
            }
            shape[i] = (int) dim;
        }
        List<Long> offsets = integers(where + ": data_offsets", fields.get("data_offsets"));
        if (offsets.size() != 2) {
            throw new SafetensorsFormatException(
                    where + " has data_offsets " + offsets + "; it must be two" + " integers [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin < 0 || begin > end) {
            throw new SafetensorsFormatException(
                    where + " has data_offsets " + offsets + "; they must satisfy" + " 0 <= begin <= end");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(where + " has data_offsets " + offsets + ", which end past the end"
                    + " of the data (" + dataLength + " bytes after the header)");
        }
        long count = elementCount(shape);
        if (count > LARGEST_ARRAY) {
            throw new SafetensorsFormatException(where + " has shape " + Shapes.format(shape) + ": "
                    + (count == Long.MAX_VALUE ? "over " + Long.MAX_VALUE : count) + " elements, more than a Java"
                    + " array can hold (" + LARGEST_ARRAY + ")");
        }
        long expectedBytes = count * dtype.size;
        if (end - begin != expectedBytes) {
            throw new SafetensorsFormatException(where + " has data_offsets " + offsets + " (" + (end - begin)
                    + " bytes), but shape " + Shapes.format(shape) + " of " + dtype + " needs " + count + " x "
                    + dtype.size + " = " + expectedBytes + " bytes");
        }
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    /** The product of the dimensions, or Long.MAX_VALUE when it overflows a long. */
    private static long elementCount(int[] shape) {
        long count = 1;
        for (int dim : shape) {
            if (dim == 0) {
                return 0;
            }
        }
        for (int dim : shape) {
            if (count > Long.MAX_VALUE / dim) {
                return Long.MAX_VALUE;
            }
            count *= dim;
        }
        return count;
    }

    private static List<Long> integers(String what, Object value) throws SafetensorsFormatException {
        if (value instanceof List<?> items) {
            List<Long> integers = new ArrayList<>(items.size());
            for (Object item : items) {
                if (!(item instanceof Long integer)) {
                    throw new SafetensorsFormatException(what + " holds a JSON " + jsonType(item) + " (" + item
                            + "), but it must be a list of integers");
                }
                integers.add(integer);
            }
            return integers;
        }
        throw new SafetensorsFormatException(
                what + " is a JSON " + jsonType(value) + ", but it must be a list of" + " integers");
    }

    /**
     * Two tensors whose bytes overlap would alias each other; the reference reader refuses that, and so does this.
     * Sorted by start, any overlap shows up against the furthest-reaching tensor seen so far.
     */
    private static void checkNoOverlap(Path file, Iterable<Entry> entries) throws SafetensorsFormatException {
        List<Entry> sorted = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.end() > entry.begin()) { // an empty tensor occupies no bytes, so it overlaps nothing
                sorted.add(entry);
            }
        }
        sorted.sort(Comparator.comparingLong(Entry::begin));
        Entry furthest = null;
        for (Entry entry : sorted) {
            if (furthest != null && entry.begin() < furthest.end()) {
                throw new SafetensorsFormatException(file + ": tensors '" + furthest.name() + "' (bytes ["
                        + furthest.begin() + ", " + furthest.end() + ")) and '" + entry.name() + "' (bytes ["
                        + entry.begin() + ", " + entry.end() + ")) overlap");
            }
            if (furthest == null || entry.end() > furthest.end()) {
                furthest = entry;
            }
        }
    }

    private static MappedByteBuffer[] mapWindows(FileChannel channel, long dataStart, long dataLength, long windowBytes)
            throws IOException {
        int count = (int) ((dataLength + windowBytes - 1) / windowBytes);
        MappedByteBuffer[] windows = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long start = i * windowBytes;
            long length = Math.min(windowBytes + SafetensorsDtype.LARGEST_SIZE, dataLength - start);
            windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, length);
        }
        return windows;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file shrank while it was being read");
            }
        }
        buffer.flip();
        return buffer;
    }

    private static String jsonType(Object value) {
        if (value instanceof Map) {
            return "object";
        } else if (value instanceof List) {
            return "array";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Long || value instanceof Double) {
            return "number";
        }
        return "null";
    }

    // ---------------------------------------------------------------------------------------------------- writer

    /** Writes {@code tensors} as F32, in the map's order; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Npy.Array> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} as F32 in the map's order, with {@code metadata} as the header's {@code __metadata__}
     * (omitted when empty). Like the reference writer, it pads the header with spaces so the data starts on an 8-byte
     * boundary. The file is written atomically ({@link AtomicFiles}).
     *
     * @throws IllegalArgumentException when a shape does not match its data, or a tensor is named "__metadata__"
     */
    public static void write(Path file, Map<String, Npy.Array> tensors, Map<String, String> metadata)
            throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> member : metadata.entrySet()) {
                json.append(separator)
                        .append(quote(member.getKey()))
                        .append(':')
                        .append(quote(member.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Npy.Array> tensor : tensors.entrySet()) {
            String name = tensor.getKey();
            int[] shape = tensor.getValue().shape();
            float[] data = tensor.getValue().data();
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named \"" + METADATA_KEY + "\": the format"
                        + " reserves that key for metadata");
            }
            if (Shapes.elementCount(shape) != data.length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Shapes.format(shape)
                        + " does not match " + data.length + " values");
            }
            long end = offset + (long) data.length * Float.BYTES;
            json.append(json.length() > 1 ? "," : "")
                    .append(quote(name))
                    .append(":{\"dtype\":\"F32\",\"shape\":")
                    .append(Shapes.format(shape).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(end)
                    .append("]}");
            offset = end;
        }
        json.append('}');
        byte[] headerText = json.toString().getBytes(StandardCharsets.UTF_8);
        int padding = (8 - headerText.length % 8) % 8;
        if (headerText.length + padding > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would be " + (headerText.length + padding)
                    + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit readers enforce");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH_BYTES + headerText.length + padding)
                .order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(headerText.length + padding).put(headerText);
        while (header.hasRemaining()) {
            header.put((byte) ' ');
        }
        AtomicFiles.write(file, out -> {
            out.write(header.array());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Npy.Array tensor : tensors.values()) {
                for (float value : tensor.data()) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(value);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
