package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.files.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One device's tuning results on disk: a readable JSON file under the cache directory's {@code tuning/} folder,
 * named after the platform, device and driver it was measured on (a driver update starts a new file). Each entry
 * says which kernel won on one shape, its time and the default's time.
 */
final class TuningFile {

    static final String FORMAT = "jconv-tuning/1";

    /** One tuned shape: the winner and, for the record, what the defaults measured on the same run. */
    record Entry(TuningKey key, KernelChoice choice, double millis, String defaultChoice, double defaultMillis) {}

    private final Path file;
    private final DeviceInfo device;

    TuningFile(Path directory, DeviceInfo device) {
        this.file = directory.resolve("tuning").resolve(fileName(device));
        this.device = device;
    }

    Path path() {
        return file;
    }

    /** A name that is safe on every file system, readable, and unique per (platform, device, driver). */
    static String fileName(DeviceInfo device) {
        String identity = device.platform() + "\n" + device.name() + "\n" + device.version();
        String slug = (device.platform() + "-" + device.name())
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return slug + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The entries on disk; none when there is no file yet.
     *
     * @throws IOException when the file exists but cannot be read or is not a tuning file for this device; the
     *                     message names the file and what is wrong
     */
    List<Entry> read() throws IOException {
        Object document;
        try {
            document = Json.read(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            return entriesOf(document);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException(file + " is not a valid tuning file: " + e.getMessage(), e);
        }
    }

    private List<Entry> entriesOf(Object document) {
        if (document instanceof Map<?, ?> root
                && FORMAT.equals(root.get("format"))
                && (!device.name().equals(root.get("device"))
                        || !device.version().equals(root.get("driver")))) {
            throw new IllegalArgumentException(
                    "it was written for device " + root.get("device") + ", driver " + root.get("driver"));
        }
        return parse(document);
    }

    /**
     * The entries of a tuning document of any device: the shipped tables ({@link KernelDefaults}) are read this way.
     *
     * @throws IllegalArgumentException or ClassCastException when the document is not a tuning file
     */
    static List<Entry> parse(Object document) {
        if (!(document instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException("expected a JSON object with \"format\": \"" + FORMAT + "\"");
        }
        if (!(root.get("entries") instanceof List<?> list)) {
            throw new IllegalArgumentException("\"entries\" must be a list");
        }
        List<Entry> entries = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> entry = (Map<?, ?>) item;
            entries.add(new Entry(
                    TuningKey.fromMap((Map<?, ?>) entry.get("key")),
                    KernelChoice.parse((String) entry.get("kernel"), null),
                    ((Number) entry.get("ms")).doubleValue(),
                    (String) entry.get("default_kernel"),
                    ((Number) entry.get("default_ms")).doubleValue()));
        }
        return entries;
    }

    /** The entry of {@code entries} for {@code key} or the nearest shape of the same structure; null if none. */
    static Entry nearest(List<Entry> entries, TuningKey key) {
        Entry best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Entry entry : entries) {
            if (entry.key().sameStructure(key)) {
                double distance = entry.key().distance(key);
                if (distance < bestDistance) {
                    best = entry;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    /** Replaces the file with {@code entries}, atomically. */
    void write(List<Entry> entries) throws IOException {
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"format\": ")
                .append(quote(FORMAT))
                .append(",\n  \"platform\": ")
                .append(quote(device.platform()))
                .append(",\n  \"device\": ")
                .append(quote(device.name()))
                .append(",\n  \"driver\": ")
                .append(quote(device.version()))
                .append(",\n  \"entries\": [");
        for (int index = 0; index < entries.size(); index++) {
            Entry entry = entries.get(index);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", entry.key().asMap());
            fields.put("kernel", entry.choice().toString());
            fields.put("ms", entry.millis());
            fields.put("default_kernel", entry.defaultChoice());
            fields.put("default_ms", entry.defaultMillis());
            json.append(index == 0 ? "\n    " : ",\n    ").append(value(fields));
        }
        json.append(entries.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        CacheDirectory.writeAtomically(file, json.toString());
    }

    private static String value(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder("{");
            map.forEach((key, item) -> text.append(text.length() == 1 ? "" : ", ")
                    .append(quote((String) key))
                    .append(": ")
                    .append(value(item)));
            return text.append('}').toString();
        }
        if (value instanceof int[] numbers) {
            StringBuilder text = new StringBuilder("[");
            for (int index = 0; index < numbers.length; index++) {
                text.append(index == 0 ? "" : ", ").append(numbers[index]);
            }
            return text.append(']').toString();
        }
        if (value instanceof Double number) {
            return String.format(Locale.ROOT, "%.6f", number);
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
