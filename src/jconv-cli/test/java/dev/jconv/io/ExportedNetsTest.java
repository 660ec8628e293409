package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.IntPair;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What scripts/export-sequential.py wrote (the golden nets and the shipped digits model) reads back: net.json
 * parses, and net.safetensors holds exactly the tensors PyTorch's state_dict gives those layers, with the shapes
 * the layer arguments imply. A mismatch here means the exporter and the readers disagree about the contract.
 */
class ExportedNetsTest {

    @Test
    void everyGoldenNetMatchesItsWeights() throws IOException, URISyntaxException {
        Path root = Path.of(ExportedNetsTest.class.getResource("/golden-nets").toURI());
        List<Path> nets;
        try (Stream<Path> children = Files.list(root)) {
            nets = children.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(nets.size() >= 12, "the golden nets are there: " + nets);
        for (Path net : nets) {
            String expectedDtype = switch (net.getFileName().toString()) {
                case "f16_weights" -> "F16";
                case "bf16_weights" -> "BF16";
                default -> "F32";
            };
            checkMatches(net, expectedDtype);
            assertTrue(Files.exists(net.resolve("x.npy")) && Files.exists(net.resolve("y.npy")), net.toString());
        }
    }

    @Test
    void theDigitsModelMatchesItsWeights() throws IOException, URISyntaxException {
        Path model = Path.of(ExportedNetsTest.class
                        .getResource("/dev/jconv/models/digits/net.json")
                        .toURI())
                .getParent();
        NetSpec spec = checkMatches(model, "F32");
        assertEquals(
                List.of(
                        "ConvTranspose2d",
                        "BatchNorm2d",
                        "ReLU",
                        "ConvTranspose2d",
                        "BatchNorm2d",
                        "ReLU",
                        "ConvTranspose2d",
                        "BatchNorm2d",
                        "ReLU",
                        "Conv2d",
                        "Tanh"),
                spec.layers().stream().map(LayerSpec::type).toList());
        assertArrayEquals(
                new int[] {64, 32, 1, 1},
                Npy.readArray(model.resolve("latent.npy")).shape());
        assertArrayEquals(
                new int[] {64, 1, 16, 16},
                Npy.readArray(model.resolve("expected.npy")).shape());
    }

    /** Checks the directory's net.safetensors against its net.json; returns the spec. */
    private static NetSpec checkMatches(Path directory, String floatDtype) throws IOException {
        NetSpec spec = NetSpec.read(directory.resolve("net.json"));
        Safetensors weights = Safetensors.open(directory.resolve("net.safetensors"));
        Map<String, int[]> expected = new LinkedHashMap<>();
        for (LayerSpec layer : spec.layers()) {
            expected.putAll(stateDictShapes(layer));
        }
        assertEquals(
                new ArrayList<>(expected.keySet()),
                new ArrayList<>(weights.names()),
                directory + ": the tensors, in state_dict order");
        for (Map.Entry<String, int[]> tensor : expected.entrySet()) {
            String name = tensor.getKey();
            assertArrayEquals(tensor.getValue(), weights.shape(name), directory + ": " + name);
            String dtype = name.endsWith("num_batches_tracked") ? "I64" : floatDtype;
            assertEquals(dtype, weights.dtype(name), directory + ": " + name);
            if (weights.isFloating(name)) {
                for (float value : weights.floats(name)) {
                    assertTrue(Float.isFinite(value), directory + ": " + name + " holds " + value);
                }
            }
        }
        return spec;
    }

    /** The names and shapes nn.Sequential.state_dict() gives this layer's tensors. */
    private static Map<String, int[]> stateDictShapes(LayerSpec layer) {
        String prefix = layer.index() + ".";
        Map<String, int[]> shapes = new LinkedHashMap<>();
        switch (layer.type()) {
            case "Conv2d", "ConvTranspose2d" -> {
                int in = layer.integer("in_channels");
                int out = layer.integer("out_channels");
                int groups = layer.integer("groups", 1);
                IntPair kernel = layer.intPair("kernel_size");
                shapes.put(
                        prefix + "weight",
                        layer.type().equals("Conv2d")
                                ? new int[] {out, in / groups, kernel.height(), kernel.width()}
                                : new int[] {in, out / groups, kernel.height(), kernel.width()});
                if (layer.bool("bias", true)) {
                    shapes.put(prefix + "bias", new int[] {out});
                }
            }
            case "BatchNorm2d" -> {
                int features = layer.integer("num_features");
                if (layer.bool("affine", true)) {
                    shapes.put(prefix + "weight", new int[] {features});
                    shapes.put(prefix + "bias", new int[] {features});
                }
                shapes.put(prefix + "running_mean", new int[] {features});
                shapes.put(prefix + "running_var", new int[] {features});
                shapes.put(prefix + "num_batches_tracked", new int[0]);
            }
            default -> {
                // activations, Dropout and Identity have no state
            }
        }
        return shapes;
    }
}
