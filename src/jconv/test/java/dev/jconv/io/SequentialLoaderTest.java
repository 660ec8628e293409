package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Activation;
import dev.jconv.ConvModule;
import dev.jconv.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network file and a checkpoint that disagree: each problem is one clear error naming the layer and the tensor. */
class SequentialLoaderTest {

    private static final String NET = "{\"format\": \"jconv-sequential/1\", \"layers\": ["
            + "{\"type\": \"Conv2d\", \"in_channels\": 2, \"out_channels\": 3, \"kernel_size\": 3, \"padding\": 1},"
            + "{\"type\": \"BatchNorm2d\", \"num_features\": 3},"
            + "{\"type\": \"LeakyReLU\", \"negative_slope\": 0.25}]}";

    @TempDir
    Path directory;

    private Map<String, Npy.Array> goodWeights() {
        Map<String, Npy.Array> weights = new LinkedHashMap<>();
        weights.put("0.weight", new Npy.Array(new int[] {3, 2, 3, 3}, new float[54]));
        weights.put("0.bias", new Npy.Array(new int[] {3}, new float[] {1, 2, 3}));
        weights.put("1.weight", new Npy.Array(new int[] {3}, new float[] {1, 1, 1}));
        weights.put("1.bias", new Npy.Array(new int[] {3}, new float[3]));
        weights.put("1.running_mean", new Npy.Array(new int[] {3}, new float[3]));
        weights.put("1.running_var", new Npy.Array(new int[] {3}, new float[] {1, 1, 1}));
        return weights;
    }

    private IOException loadFails(String net, Map<String, Npy.Array> weights) throws IOException {
        Path json = Files.writeString(directory.resolve("net.json"), net);
        Path file = directory.resolve("net.safetensors");
        Safetensors.write(file, weights);
        return assertThrows(IOException.class, () -> SequentialLoader.load(json, file));
    }

    @Test
    void aGoodPairLoadsAndFuses() throws IOException {
        Path json = Files.writeString(directory.resolve("net.json"), NET);
        Path file = directory.resolve("net.safetensors");
        Safetensors.write(file, goodWeights());
        try (Sequential net = SequentialLoader.load(json, file)) {
            assertEquals(1, net.layers().size(), net.toString());
            assertEquals(
                    Activation.leakyRelu(0.25f),
                    ((ConvModule<?, ?>) net.layers().get(0)).activation());
        }
    }

    @Test
    void missingTensorIsNamedWithItsShape() throws IOException {
        Map<String, Npy.Array> weights = goodWeights();
        weights.remove("1.running_var");
        String message = loadFails(NET, weights).getMessage();
        assertTrue(
                message.contains("layer 1 (BatchNorm2d(3, eps=1e-05, affine=True)) needs tensor '1.running_var'"
                        + " with shape [3]"),
                message);
    }

    @Test
    void wronglyShapedTensorIsNamedWithBothShapes() throws IOException {
        Map<String, Npy.Array> weights = goodWeights();
        weights.put("0.weight", new Npy.Array(new int[] {3, 2, 2, 2}, new float[24]));
        String message = loadFails(NET, weights).getMessage();
        assertTrue(
                message.contains("expects tensor '0.weight' with shape [3, 2, 3, 3]")
                        && message.contains("has shape [3, 2, 2, 2]"),
                message);
    }

    @Test
    void extraTensorIsNamed() throws IOException {
        Map<String, Npy.Array> weights = goodWeights();
        weights.put("2.weight", new Npy.Array(new int[] {1}, new float[1]));
        String message = loadFails(NET, weights).getMessage();
        assertTrue(message.contains("'2.weight' (layer 2 is LeakyReLU)"), message);
    }

    @Test
    void pytorchsConstructorErrorsNameTheLayer() throws IOException {
        String net = NET.replace("\"padding\": 1}", "\"padding\": 1, \"groups\": 2}");
        String message = loadFails(net, goodWeights()).getMessage();
        assertTrue(message.contains("layer 0 (Conv2d): out_channels must be divisible by groups"), message);
    }
}
