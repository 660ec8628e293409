package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * net.json: the documented example, PyTorch's defaults for missing keys, and a clear error for each kind of mistake.
 */
class NetSpecTest {

    /** The example of the format's documentation, as export-sequential.py writes it. */
    private static final String EXAMPLE = """
            {"format": "jconv-sequential/1",
             "layers": [
              {"type": "ConvTranspose2d", "in_channels": 32, "out_channels": 16, "kernel_size": [4, 4], \
            "stride": [2, 2], "padding": [1, 1], "output_padding": [0, 0], "groups": 1, "bias": false, \
            "dilation": [1, 1]},
              {"type": "BatchNorm2d", "num_features": 16, "eps": 1e-05, "affine": true},
              {"type": "ReLU"},
              {"type": "Conv2d", "in_channels": 16, "out_channels": 1, "kernel_size": [3, 5], "stride": [1, 2],
               "padding": [1, 2], "dilation": [1, 1], "groups": 1, "bias": true, "padding_mode": "zeros"},
              {"type": "Tanh"}]}
            """;

    @TempDir
    Path directory;

    @Test
    void readsTheDocumentedExample() {
        NetSpec spec = NetSpec.parse(EXAMPLE);
        assertEquals(
                List.of("ConvTranspose2d", "BatchNorm2d", "ReLU", "Conv2d", "Tanh"),
                spec.layers().stream().map(LayerSpec::type).toList());
        LayerSpec transposed = spec.layers().get(0);
        assertEquals(0, transposed.index());
        assertEquals(32, transposed.integer("in_channels"));
        assertEquals(16, transposed.integer("out_channels"));
        assertEquals(IntPair.of(4, 4), transposed.intPair("kernel_size"));
        assertEquals(IntPair.of(2, 2), transposed.intPair("stride", 1));
        assertEquals(IntPair.of(1, 1), transposed.intPair("padding", 0));
        assertFalse(transposed.bool("bias", true));
        LayerSpec norm = spec.layers().get(1);
        assertEquals(1e-5, norm.number("eps", 0.5));
        assertTrue(norm.bool("affine", false));
        LayerSpec conv = spec.layers().get(3);
        assertEquals(3, conv.index());
        assertEquals(IntPair.of(3, 5), conv.intPair("kernel_size"));
        assertEquals(IntPair.of(1, 2), conv.intPair("stride", 1));
        assertEquals(Padding.of(1, 2), conv.padding("padding", 0));
        assertEquals("zeros", conv.string("padding_mode", "reflect"));
        assertTrue(spec.layers().get(4).arguments().isEmpty());
    }

    @Test
    void missingKeysTakePyTorchsDefaultsFromTheCaller() {
        NetSpec spec = NetSpec.parse(net(
                "{\"type\": \"Conv2d\", \"in_channels\": 3, \"out_channels\": 8," + " \"kernel_size\": 3}",
                "{\"type\": \"BatchNorm2d\", \"num_features\": 8}",
                "{\"type\": \"LeakyReLU\"}",
                "{\"type\": \"GELU\"}",
                "{\"type\": \"Dropout\"}"));
        LayerSpec conv = spec.layers().get(0);
        assertEquals(IntPair.of(3, 3), conv.intPair("kernel_size"), "an integer means a square pair");
        assertEquals(IntPair.of(1, 1), conv.intPair("stride", 1));
        assertEquals(Padding.of(0), conv.padding("padding", 0));
        assertEquals(IntPair.of(1, 1), conv.intPair("dilation", 1));
        assertEquals(1, conv.integer("groups", 1));
        assertTrue(conv.bool("bias", true));
        assertEquals("zeros", conv.string("padding_mode", "zeros"));
        assertFalse(conv.has("stride"));
        LayerSpec norm = spec.layers().get(1);
        assertEquals(1e-5, norm.number("eps", 1e-5));
        assertTrue(norm.bool("affine", true));
        assertEquals(0.01, spec.layers().get(2).number("negative_slope", 0.01));
        assertEquals("none", spec.layers().get(3).string("approximate", "none"));
        assertEquals(0.5, spec.layers().get(4).number("p", 0.5));
    }

    @Test
    void readsEveryValueSpellingPyTorchAllows() {
        NetSpec spec = NetSpec.parse(net(
                "{\"type\": \"Conv2d\", \"in_channels\": 4, \"out_channels\": 4, \"kernel_size\": 3, \"padding\":"
                        + " \"same\", \"padding_mode\": \"circular\"}",
                "{\"type\": \"Conv2d\", \"in_channels\": 4, \"out_channels\": 4, \"kernel_size\": 3, \"padding\":"
                        + " \"valid\"}",
                "{\"type\": \"Conv2d\", \"in_channels\": 4, \"out_channels\": 4, \"kernel_size\": 3, \"padding\": 2}",
                "{\"type\": \"BatchNorm2d\", \"num_features\": 4, \"momentum\": null, \"eps\": 1,"
                        + " \"track_running_stats\": true}",
                "{\"type\": \"Dropout\", \"p\": 0, \"inplace\": true}",
                "{\"type\": \"GELU\", \"approximate\": \"tanh\"}",
                "{\"type\": \"ReLU\", \"inplace\": false}",
                "{\"type\": \"Identity\"}"));
        assertEquals(Padding.SAME, spec.layers().get(0).padding("padding", 0));
        assertEquals("circular", spec.layers().get(0).string("padding_mode", "zeros"));
        assertEquals(Padding.VALID, spec.layers().get(1).padding("padding", 0));
        assertEquals(Padding.of(2, 2), spec.layers().get(2).padding("padding", 0));
        assertNull(spec.layers().get(3).arguments().get("momentum"));
        assertEquals(1.0, spec.layers().get(3).number("eps", 1e-5), "a JSON integer is a number too");
        assertEquals(0.0, spec.layers().get(4).number("p", 0.5));
        assertEquals("tanh", spec.layers().get(5).string("approximate", "none"));
        assertEquals(8, spec.layers().size());
        assertTrue(NetSpec.parse(net()).layers().isEmpty(), "an empty Sequential is the identity, as in PyTorch");
    }

    @Test
    void refusesAWrongOrMissingFormat() {
        rejects(
                "{\"format\": \"jconv-sequential/2\", \"layers\": []}",
                "\"format\" must be \"jconv-sequential/1\", but got \"jconv-sequential/2\"");
        rejects("{\"layers\": []}", "\"format\" must be \"jconv-sequential/1\", but got none");
        rejects("{\"format\": \"jconv-sequential/1\"}", "\"layers\" must be a list of layer objects, but got none");
        rejects(
                "{\"format\": \"jconv-sequential/1\", \"layers\": {}}",
                "\"layers\" must be a list of layer objects, but got an object");
        rejects(
                "{\"format\": \"jconv-sequential/1\", \"layers\": [], \"name\": \"x\"}",
                "unknown top-level key 'name'; net.json has only \"format\" and \"layers\"");
        rejects("[1, 2]", "net.json must be a JSON object with \"format\" and \"layers\", but got [1, 2]");
        rejects("{\"format\": ", "invalid JSON");
    }

    @Test
    void refusesUnknownTypesAndKeys() {
        rejects(
                net("{\"type\": \"ReLU\"}", "{\"type\": \"Conv3d\"}"),
                "layer 1: unknown layer type \"Conv3d\"; the"
                        + " known types are Conv2d, ConvTranspose2d, BatchNorm2d, LeakyReLU, GELU, Dropout,"
                        + " ReLU, ReLU6,"
                        + " SiLU, Hardswish, Sigmoid, Tanh, Identity");
        rejects(
                net("{\"in_channels\": 3}"),
                "layer 0: \"type\" must be a layer type name such as \"Conv2d\", but" + " got none");
        rejects(net("{\"type\": 3}"), "layer 0: \"type\" must be a layer type name such as \"Conv2d\", but got 3");
        rejects(net("\"ReLU\""), "layer 0 must be a JSON object such as {\"type\": \"ReLU\"}, but got \"ReLU\"");
        rejects(
                net(
                        "{\"type\": \"ReLU\"}",
                        "{\"type\": \"Conv2d\", \"in_channels\": 3, \"out_channels\": 8,"
                                + " \"kernel_size\": 3, \"strides\": 2}"),
                "layer 1 (Conv2d): unknown key 'strides'; Conv2d's keys are"
                        + " in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,"
                        + " padding_mode");
        rejects(
                net("{\"type\": \"Tanh\", \"inplace\": true}"),
                "layer 0 (Tanh): unknown key 'inplace'; Tanh takes" + " no arguments");
        rejects(
                net("{\"type\": \"BatchNorm2d\", \"num_features\": 4, \"training\": false}"),
                "layer 0 (BatchNorm2d): unknown key 'training'; BatchNorm2d's keys are num_features, eps, momentum,"
                        + " affine, track_running_stats");
        rejects(
                net("{\"type\": \"ConvTranspose2d\", \"in_channels\": 3, \"out_channels\": 8, \"kernel_size\": 3,"
                        + " \"padding_mode\": \"reflect\"}"),
                "layer 0 (ConvTranspose2d): 'padding_mode' must be \"zeros\","
                        + " but got \"reflect\" (PyTorch's ConvTranspose2d supports only zeros padding)");
        rejects(
                net("{\"type\": \"Conv2d\", \"in_channels\": 3, \"out_channels\": 8, \"kernel_size\": 3,"
                        + " \"padding_mode\": \"mirror\"}"),
                "layer 0 (Conv2d): 'padding_mode' must be \"zeros\" or"
                        + " \"reflect\" or \"replicate\" or \"circular\", but got \"mirror\"");
        rejects(
                net("{\"type\": \"GELU\", \"approximate\": \"fast\"}"),
                "layer 0 (GELU): 'approximate' must be" + " \"none\" or \"tanh\", but got \"fast\"");
        rejects(
                net("{\"type\": \"BatchNorm2d\", \"num_features\": 4, \"track_running_stats\": false}"),
                "layer 0 (BatchNorm2d): 'track_running_stats' must be true, but got false (without running"
                        + " statistics, eval mode normalises with each batch's own statistics");
    }

    @Test
    void refusesMissingRequiredKeys() {
        rejects(
                net("{\"type\": \"Conv2d\", \"out_channels\": 8, \"kernel_size\": 3}"),
                "layer 0 (Conv2d): missing required key 'in_channels'");
        rejects(
                net(
                        "{\"type\": \"Identity\"}",
                        "{\"type\": \"ConvTranspose2d\", \"in_channels\": 3," + " \"kernel_size\": 3}"),
                "layer 1 (ConvTranspose2d): missing required key 'out_channels'");
        rejects(
                net("{\"type\": \"Conv2d\", \"in_channels\": 3, \"out_channels\": 8}"),
                "layer 0 (Conv2d): missing required key 'kernel_size'");
        rejects(
                net("{\"type\": \"BatchNorm2d\", \"eps\": 0.001}"),
                "layer 0 (BatchNorm2d): missing required key 'num_features'");
    }

    @Test
    void refusesValuesOfTheWrongJsonType() {
        String conv = "{\"type\": \"Conv2d\", \"in_channels\": 3, \"out_channels\": 8, \"kernel_size\": 3, ";
        rejects(
                net(conv + "\"stride\": \"2\"}"),
                "layer 0 (Conv2d): 'stride' must be an integer or a list of two"
                        + " integers [height, width], but got \"2\"");
        rejects(
                net(conv + "\"stride\": [1, 2, 3]}"),
                "'stride' must be an integer or a list of two integers" + " [height, width], but got [1, 2, 3]");
        rejects(
                net(conv + "\"dilation\": 1.5}"),
                "'dilation' must be an integer or a list of two integers" + " [height, width], but got 1.5");
        rejects(net(conv + "\"groups\": true}"), "layer 0 (Conv2d): 'groups' must be an integer, but got true");
        rejects(net(conv + "\"groups\": 4294967296}"), "'groups' must be an integer, but got 4294967296");
        rejects(net(conv + "\"bias\": 1}"), "layer 0 (Conv2d): 'bias' must be true or false, but got 1");
        rejects(
                net(conv + "\"padding\": \"full\"}"),
                "layer 0 (Conv2d): Invalid padding string 'full', should be" + " one of {'valid', 'same'}");
        rejects(
                net(conv + "\"padding\": null}"),
                "layer 0 (Conv2d): 'padding' must be an integer, a list of two"
                        + " integers, \"same\" or \"valid\", but got null");
        rejects(
                net("{\"type\": \"Conv2d\", \"in_channels\": \"3\", \"out_channels\": 8, \"kernel_size\": 3}"),
                "layer 0 (Conv2d): 'in_channels' must be an integer, but got \"3\"");
        rejects(
                net("{\"type\": \"ConvTranspose2d\", \"in_channels\": 3, \"out_channels\": 8, \"kernel_size\": 3,"
                        + " \"padding\": \"same\"}"),
                "layer 0 (ConvTranspose2d): 'padding' must be an integer or a list of"
                        + " two integers [height, width], but got \"same\"");
        rejects(
                net("{\"type\": \"BatchNorm2d\", \"num_features\": 4, \"eps\": \"small\"}"),
                "layer 0 (BatchNorm2d): 'eps' must be a number, but got \"small\"");
        rejects(
                net("{\"type\": \"GELU\", \"approximate\": false}"),
                "layer 0 (GELU): 'approximate' must be a string, but got false");
        rejects(
                net("{\"type\": \"LeakyReLU\", \"negative_slope\": [0.1]}"),
                "layer 0 (LeakyReLU): 'negative_slope' must be a number, but got [0.1]");
    }

    @Test
    void accessorsCheckTypesForSpecsBuiltInCode() {
        LayerSpec layer = new LayerSpec(
                2, "Conv2d", Map.of("in_channels", 3L, "out_channels", 4L, "kernel_size", List.of(1L, 3L)));
        assertEquals(IntPair.of(1, 3), layer.intPair("kernel_size"));
        IllegalArgumentException wrongType =
                assertThrows(IllegalArgumentException.class, () -> layer.bool("in_channels", true));
        assertEquals("layer 2 (Conv2d): 'in_channels' must be true or false, but got 3", wrongType.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> layer.integer("groups"));
        assertEquals("layer 2 (Conv2d): missing required key 'groups'", missing.getMessage());
        IllegalArgumentException misplaced =
                assertThrows(IllegalArgumentException.class, () -> new NetSpec(List.of(layer)));
        assertEquals(
                "layer 0 (Conv2d) has index 2; each layer's index must be its position, which names its" + " weights",
                misplaced.getMessage());
    }

    @Test
    void readNamesTheFile() throws IOException {
        Path file = directory.resolve("net.json");
        Files.writeString(file, net("{\"type\": \"Softmax\"}"));
        IOException e = assertThrows(IOException.class, () -> NetSpec.read(file));
        assertEquals(
                file + ": layer 0: unknown layer type \"Softmax\"; the known types are Conv2d, ConvTranspose2d,"
                        + " BatchNorm2d, LeakyReLU, GELU, Dropout, ReLU, ReLU6, SiLU, Hardswish, Sigmoid,"
                        + " Tanh, Identity",
                e.getMessage());
        Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});
        IOException binary = assertThrows(IOException.class, () -> NetSpec.read(file));
        assertEquals(file + ": not a net.json: it is not UTF-8 text", binary.getMessage());
        Files.writeString(file, EXAMPLE);
        assertEquals(5, NetSpec.read(file).layers().size());
    }

    private static String net(String... layers) {
        return "{\"format\": \"jconv-sequential/1\", \"layers\": [" + String.join(", ", layers) + "]}";
    }

    private static void rejects(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetSpec.parse(json));
        assertTrue(
                e.getMessage().contains(expected),
                "expected the message to contain\n  " + expected + "\nbut it was\n  " + e.getMessage());
    }
}
