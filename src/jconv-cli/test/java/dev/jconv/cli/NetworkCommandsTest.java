package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.AllClose;
import dev.jconv.TestResources;
import dev.jconv.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jconv run-model} and {@code jconv generate} on the Java device: results, files, and one-line errors. */
class NetworkCommandsTest {

    private static final Path NET = TestResources.path("/golden-nets/conv_bn_relu");
    private static final Path UNBATCHED = TestResources.path("/golden-nets/unbatched");

    @TempDir
    Path directory;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result runModel(Path net, String input, Path output) {
        return run(
                "run-model",
                "--model",
                net.resolve("net.json").toString(),
                "--weights",
                net.resolve("net.safetensors").toString(),
                "--input",
                input,
                "--output",
                output.toString(),
                "--device",
                "java");
    }

    @Test
    void runModelWritesPyTorchsOutput() throws IOException {
        for (Path net : List.of(NET, UNBATCHED)) {
            Path output = directory.resolve(net.getFileName() + ".npy");
            Result result = runModel(net, net.resolve("x.npy").toString(), output);
            assertEquals(0, result.code(), result.err());
            Npy.Array expected = Npy.readArray(net.resolve("y.npy"));
            Npy.Array actual = Npy.readArray(output);
            assertArrayEquals(expected.shape(), actual.shape(), net + ": output rank follows the input's");
            assertTrue(
                    AllClose.compare(actual.data(), expected.data(), 1e-4, 1e-4).passed(), net.toString());
        }
    }

    @Test
    void aSingleImageRunsAsABatchOfOneEvenThroughBatchNorm() throws IOException {
        Npy.Array batch = Npy.readArray(NET.resolve("x.npy"));
        int[] shape = batch.shape();
        int perImage = batch.data().length / shape[0];
        Path single = directory.resolve("single.npy");
        Npy.write(single, new int[] {shape[1], shape[2], shape[3]}, java.util.Arrays.copyOf(batch.data(), perImage));
        Path output = directory.resolve("y.npy");
        Result result = runModel(NET, single.toString(), output);
        assertEquals(0, result.code(), result.err());
        Npy.Array expected = Npy.readArray(NET.resolve("y.npy"));
        float[] firstImage = java.util.Arrays.copyOf(expected.data(), expected.data().length / shape[0]);
        assertTrue(AllClose.compare(Npy.readArray(output).data(), firstImage, 1e-4, 1e-4)
                .passed());
        assertEquals(3, Npy.readArray(output).shape().length);
    }

    @Test
    void badNetworkFilesAreOneLineErrorsWithNoOutput() throws IOException {
        Path brokenWeights = directory.resolve("broken");
        Files.createDirectories(brokenWeights);
        Files.copy(NET.resolve("net.json"), brokenWeights.resolve("net.json"));
        byte[] weights = Files.readAllBytes(NET.resolve("net.safetensors"));
        Files.write(brokenWeights.resolve("net.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        Path output = directory.resolve("y.npy");
        Result result = runModel(brokenWeights, NET.resolve("x.npy").toString(), output);
        assertEquals(2, result.code());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().startsWith("jconv: error: ") && result.err().contains("net.safetensors"), result.err());
        assertFalse(Files.exists(output), "no output after a failure");
        Result missing = run("run-model", "--weights", "w.safetensors", "--input", "x.npy", "--output", "y.npy");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--model"), missing.err());
    }

    @Test
    void generateChecksAgainstPyTorchAndWritesThePicture() throws IOException {
        Path png = directory.resolve("digits.png");
        Result result = run(
                "generate",
                "--device",
                "java",
                "--count",
                "6",
                "--seed",
                "3",
                "--budget",
                "0.2",
                "--out",
                png.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("matches PyTorch on 64 reference latents"), result.out());
        assertTrue(result.out().contains("ms per image (batch of 6"), result.out());
        var image = ImageIO.read(png.toFile());
        // 6 images in a 3 x 2 grid of 16 x 16 pixels, each zoomed 4x, with 2-pixel gaps.
        assertEquals(3 * (16 * 4 + 2) + 2, image.getWidth());
        assertEquals(2 * (16 * 4 + 2) + 2, image.getHeight());
        Result bad = run("generate", "--count", "0", "--out", png.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--count must be between 1 and 1024"), bad.err());
    }
}
