package dev.jconv.io;

import dev.jconv.files.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A net.json as written by {@code scripts/export-sequential.py}: the layers of a PyTorch {@code nn.Sequential}, in
 * order, each with its constructor arguments. It is only a description; building layers from it is the loader's
 * job. Every layer is checked when the spec is made (known type, known keys, required keys present, JSON types
 * right), so a bad file fails at load time with a message naming the layer, not later in a forward pass.
 *
 * <pre>
 * {"format": "jconv-sequential/1",
 *  "layers": [
 *   {"type": "Conv2d", "in_channels": 16, "out_channels": 1, "kernel_size": [3, 3], "padding": [1, 1]},
 *   {"type": "Tanh"}]}
 * </pre>
 *
 * @param layers the layers; layer i has index i, which is also the prefix of its weights' names
 */
public record NetSpec(List<LayerSpec> layers) {

    /** The only format this reader knows; a later, incompatible net.json would name another. */
    public static final String FORMAT = "jconv-sequential/1";

    /**
     * @throws IllegalArgumentException when a layer's index is not its position, or a layer breaks the rules of its
     *     type
     */
    public NetSpec {
        layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer.index() != i) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.type() + ") has index " + layer.index()
                        + "; each layer's index must be its position, which names its weights");
            }
            LayerSchema.validate(layer);
        }
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws IOException naming the file and the problem when it cannot be read or is not a valid net.json
     */
    public static NetSpec read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not a net.json: it is not UTF-8 text", e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses and checks net.json text.
     *
     * @throws IllegalArgumentException naming the problem (for a layer: its index, type and key)
     */
    public static NetSpec parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> members)) {
            throw new IllegalArgumentException(
                    "net.json must be a JSON object with \"format\" and \"layers\", but" + " got " + describe(root));
        }
        for (Object key : members.keySet()) {
            if (!key.equals("format") && !key.equals("layers")) {
                throw new IllegalArgumentException(
                        "unknown top-level key '" + key + "'; net.json has only" + " \"format\" and \"layers\"");
            }
        }
        Object format = members.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("\"format\" must be \"" + FORMAT + "\", but got "
                    + (format == null ? "none" : LayerSpec.jsonText(format))
                    + " (is this a net.json written by scripts/export-sequential.py?)");
        }
        if (!(members.get("layers") instanceof List<?> items)) {
            throw new IllegalArgumentException("\"layers\" must be a list of layer objects, but got "
                    + (members.containsKey("layers") ? describe(members.get("layers")) : "none"));
        }
        List<LayerSpec> layers = new ArrayList<>(items.size());
        for (int index = 0; index < items.size(); index++) {
            layers.add(layer(index, items.get(index)));
        }
        return new NetSpec(layers);
    }

    private static LayerSpec layer(int index, Object item) {
        if (!(item instanceof Map<?, ?> members)) {
            throw new IllegalArgumentException("layer " + index + " must be a JSON object such as {\"type\":"
                    + " \"ReLU\"}, but got " + describe(item));
        }
        if (!(members.get("type") instanceof String type)) {
            throw new IllegalArgumentException("layer " + index + ": \"type\" must be a layer type name such as"
                    + " \"Conv2d\", but got " + (members.containsKey("type") ? describe(members.get("type")) : "none"));
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            if (!member.getKey().equals("type")) {
                arguments.put((String) member.getKey(), member.getValue());
            }
        }
        return new LayerSpec(index, type, arguments);
    }

    private static String describe(Object value) {
        return value instanceof Map ? "an object" : LayerSpec.jsonText(value);
    }
}
