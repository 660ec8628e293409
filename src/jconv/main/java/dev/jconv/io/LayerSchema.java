package dev.jconv.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The layer types net.json may name, with the constructor arguments PyTorch gives each: a key outside this table is
 * refused rather than ignored, since an ignored argument would silently change the output.
 */
final class LayerSchema {

    /** How a key's JSON value is read; each kind is checked by the {@link LayerSpec} accessor that reads it. */
    private enum Kind {
        INTEGER,
        INT_PAIR,
        BOOLEAN,
        NUMBER,
        NUMBER_OR_NULL,
        STRING,
        PADDING
    }

    /** One argument: its kind, whether PyTorch requires it, and the only values jconv runs (none: any value). */
    private record Key(String name, Kind kind, boolean required, List<Object> allowed, String why) {}

    private static final Map<String, Map<String, Key>> TYPES = new LinkedHashMap<>();

    static {
        // The keyword arguments both convolutions take, each in its own place in the op's signature.
        Key dilation = optional("dilation", Kind.INT_PAIR);
        Key groups = optional("groups", Kind.INTEGER);
        Key bias = optional("bias", Kind.BOOLEAN);
        String[] paddingModes = {"zeros", "reflect", "replicate", "circular"};
        Key anyPaddingMode = only("padding_mode", Kind.STRING, "the modes PyTorch has", (Object[]) paddingModes);
        Key zerosOnly =
                only("padding_mode", Kind.STRING, "PyTorch's ConvTranspose2d supports only zeros padding", "zeros");
        convolution("Conv2d", Kind.PADDING, dilation, groups, bias, anyPaddingMode);
        convolution(
                "ConvTranspose2d",
                Kind.INT_PAIR,
                optional("output_padding", Kind.INT_PAIR),
                groups,
                bias,
                dilation,
                zerosOnly);
        type(
                "BatchNorm2d",
                required("num_features", Kind.INTEGER),
                optional("eps", Kind.NUMBER),
                optional("momentum", Kind.NUMBER_OR_NULL),
                optional("affine", Kind.BOOLEAN),
                only(
                        "track_running_stats",
                        Kind.BOOLEAN,
                        "without running statistics, eval mode normalises with"
                                + " each batch's own statistics, and jconv runs BatchNorm2d in eval mode from running"
                                + " statistics only",
                        true));
        type("LeakyReLU", optional("negative_slope", Kind.NUMBER), optional("inplace", Kind.BOOLEAN));
        type("GELU", only("approximate", Kind.STRING, "the approximations PyTorch has", "none", "tanh"));
        type("Dropout", optional("p", Kind.NUMBER), optional("inplace", Kind.BOOLEAN));
        for (String activation : List.of("ReLU", "ReLU6", "SiLU", "Hardswish")) {
            type(activation, optional("inplace", Kind.BOOLEAN));
        }
        // PyTorch's Sigmoid and Tanh take no arguments at all, not even inplace.
        type("Sigmoid");
        type("Tanh");
        type("Identity");
    }

    private LayerSchema() {}

    private static void type(String name, Key... keys) {
        Map<String, Key> byName = new LinkedHashMap<>();
        for (Key key : keys) {
            byName.put(key.name(), key);
        }
        TYPES.put(name, byName);
    }

    /**
     * A convolution type: PyTorch's Conv2d and ConvTranspose2d both open with in_channels, out_channels, kernel_size,
     * stride and padding (a padding of the given kind: Conv2d's also takes "same" and "valid"), then go their own ways,
     * in {@code rest}. The order is PyTorch's signature order, which messages list the keys in.
     */
    private static void convolution(String name, Kind padding, Key... rest) {
        List<Key> keys = new ArrayList<>(List.of(
                required("in_channels", Kind.INTEGER),
                required("out_channels", Kind.INTEGER),
                required("kernel_size", Kind.INT_PAIR),
                optional("stride", Kind.INT_PAIR),
                optional("padding", padding)));
        keys.addAll(List.of(rest));
        type(name, keys.toArray(Key[]::new));
    }

    private static Key required(String name, Kind kind) {
        return new Key(name, kind, true, List.of(), null);
    }

    private static Key optional(String name, Kind kind) {
        return new Key(name, kind, false, List.of(), null);
    }

    private static Key only(String name, Kind kind, String why, Object... allowed) {
        return new Key(name, kind, false, List.of(allowed), why);
    }

    /** The type names net.json may use, in a fixed order, for messages. */
    static List<String> typeNames() {
        return new ArrayList<>(TYPES.keySet());
    }

    /** The keys {@code type} accepts, for messages and tests; empty for an unknown type. */
    static List<String> keyNames(String type) {
        return new ArrayList<>(TYPES.getOrDefault(type, Map.of()).keySet());
    }

    /**
     * Checks {@code layer}'s type, keys and value types.
     *
     * @throws IllegalArgumentException naming the layer's index and type, the key, and the rule it breaks
     */
    static void validate(LayerSpec layer) {
        Map<String, Key> keys = TYPES.get(layer.type());
        if (keys == null) {
            throw new IllegalArgumentException("layer " + layer.index() + ": unknown layer type \"" + layer.type()
                    + "\"; the known types are " + String.join(", ", TYPES.keySet()));
        }
        for (String name : layer.arguments().keySet()) {
            if (!keys.containsKey(name)) {
                throw new IllegalArgumentException(layer.where() + "unknown key '" + name + "'; " + layer.type()
                        + (keys.isEmpty() ? " takes no arguments" : "'s keys are " + String.join(", ", keys.keySet())));
            }
        }
        for (Key key : keys.values()) {
            if (key.required() && !layer.has(key.name())) {
                throw new IllegalArgumentException(layer.where() + "missing required key '" + key.name() + "'");
            }
            if (layer.has(key.name())) {
                Object value = read(layer, key);
                if (!key.allowed().isEmpty() && !key.allowed().contains(value)) {
                    throw new IllegalArgumentException(layer.where() + "'" + key.name() + "' must be "
                            + key.allowed().stream().map(LayerSpec::jsonText).collect(Collectors.joining(" or "))
                            + ", but got " + LayerSpec.jsonText(value) + " (" + key.why() + ")");
                }
            }
        }
    }

    /** Reads the key through the accessor for its kind, which refuses a wrong JSON type. */
    private static Object read(LayerSpec layer, Key key) {
        String name = key.name();
        return switch (key.kind()) {
            case INTEGER -> layer.integer(name);
            case INT_PAIR -> layer.intPair(name);
            case BOOLEAN -> layer.bool(name, false);
            case NUMBER -> layer.number(name, 0);
            case NUMBER_OR_NULL -> layer.arguments().get(name) == null ? null : layer.number(name, 0);
            case STRING -> layer.string(name, "");
            case PADDING -> layer.padding(name, 0);
        };
    }
}
