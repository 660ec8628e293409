package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.AllClose;
import dev.jconv.Device;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import dev.jconv.TestResources;
import dev.jconv.cli.CaseDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole networks against PyTorch on every device, rtol = atol = 1e-4: the random nn.Sequentials of
 * {@code scripts/gen-golden-nets.py} (src/test/resources/golden-nets, run as {@code jconv verify} runs them) and the
 * shipped digits generator on its reference latents, each loaded from its net.json and net.safetensors.
 */
class GoldenNetsTest {

    private static final double TOLERANCE = 1e-4;
    private static final Path GOLDEN_NETS = TestResources.path("/golden-nets");
    private static final Path DIGITS = TestResources.path("/dev/jconv/models/digits");

    @TestFactory
    Stream<DynamicTest> everyGoldenNetworkMatchesPyTorch() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> listing = Files.list(GOLDEN_NETS)) {
            listing.filter(Files::isDirectory).sorted().forEach(cases::add);
        }
        assertTrue(cases.size() >= 10, "expected the golden networks in " + GOLDEN_NETS + ", found " + cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path directory : cases) {
            for (String deviceName : TestDevices.names()) {
                tests.add(DynamicTest.dynamicTest(directory.getFileName() + " on " + deviceName, () -> {
                    CaseDirectory.Outcome outcome =
                            new CaseDirectory(directory).run(TestDevices.resolve(deviceName), TOLERANCE, TOLERANCE);
                    assertTrue(outcome.passed(), outcome.name() + ": " + outcome.detail());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> shippedDigitsGeneratorMatchesPyTorch() {
        return TestDevices.onEachDevice(device -> check(device, DIGITS, "latent.npy", "expected.npy"));
    }

    private static void check(Device device, Path directory, String input, String expected) throws IOException {
        Tensor x = Npy.read(directory.resolve(input));
        Tensor y = Npy.read(directory.resolve(expected));
        try (Sequential net = SequentialLoader.load(directory.resolve("net.json"), directory.resolve("net.safetensors"))
                .to(device)) {
            Tensor result = net.forward(x);
            assertArrayEquals(y.shape(), result.shape(), directory + ": output shape");
            AllClose check = AllClose.compare(result.toArray(), y.toArray(), TOLERANCE, TOLERANCE);
            assertTrue(
                    check.passed(),
                    directory + " on " + device + ": " + check.failures() + " values differ from PyTorch's, worst by "
                            + check.worstDifference());
        }
    }
}
