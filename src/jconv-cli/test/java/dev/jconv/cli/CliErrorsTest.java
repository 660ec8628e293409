package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.TestDevices;
import dev.jconv.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input through {@code jconv run}, on each device: exit code 2, exactly one line on stderr naming
 * the problem, no stack trace, and no output file left behind.
 */
class CliErrorsTest {

    @TempDir
    Path directory;

    private Path output;

    /** A bad command line and a word its one-line error must contain. */
    private record BadInput(String name, String expected, List<String> args) {}

    @BeforeEach
    void writeFixtures() throws IOException {
        output = directory.resolve("y.npy");
        write("x.npy", 1, 4, 6, 6);
        write("x_big.npy", 1, 4, 16, 16);
        write("x_rank2.npy", 6, 6);
        write("x_rank5.npy", 1, 1, 4, 6, 6);
        write("w.npy", 8, 4, 3, 3); // Conv2d(4, 8, 3)
        write("w_t.npy", 4, 8, 3, 3); // ConvTranspose2d(4, 8, 3)
        write("w_g.npy", 8, 3, 3, 3); // with --groups 3: out_channels 8 is not divisible by 3
        write("w_big.npy", 8, 4, 9, 9);
        write("w_rank3.npy", 8, 4, 3);
        write("b.npy", 8);
        write("b_bad.npy", 5);
        Files.writeString(directory.resolve("garbage.npy"), "this is not an npy file at all");
        Files.write(directory.resolve("empty.npy"), new byte[0]);
        byte[] whole = Files.readAllBytes(directory.resolve("x.npy"));
        Files.write(directory.resolve("truncated.npy"), Arrays.copyOf(whole, whole.length - 10));
        header("huge.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000, 1000, 1000), }");
        header("huge_ok_rank.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (64, 1024, 1024, 16), }");
        header("f64.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4, 6, 6), }");
    }

    private List<BadInput> battery() {
        return List.of(
                bad("garbage input", "not a .npy file", conv("--input", "garbage.npy")),
                bad("truncated input", "truncated", conv("--input", "truncated.npy")),
                bad("empty input", "truncated", conv("--input", "empty.npy")),
                bad("missing input", "no such file", conv("--input", "nope.npy")),
                bad("header larger than file", "larger than jconv can hold", conv("--input", "huge.npy")),
                bad("header needing more than the file", "truncated", conv("--input", "huge_ok_rank.npy")),
                bad("float64 input", "dtype '<f8'", conv("--input", "f64.npy")),
                bad("rank-2 input", "Expected 3D (unbatched) or 4D (batched) input", conv("--input", "x_rank2.npy")),
                bad("rank-5 input", "Expected 3D (unbatched) or 4D (batched) input", conv("--input", "x_rank5.npy")),
                bad(
                        "weight/input channel mismatch",
                        "to have 16 channels, but got 4 channels instead",
                        conv("--weight", "w_t.npy", "--op", "conv2d", "--groups", "2")),
                bad("rank-3 weight", "weight must be 4-D", conv("--weight", "w_rank3.npy")),
                bad("bias length mismatch", "bias of Conv2d(4, 8", conv("--bias", "b_bad.npy")),
                bad("negative stride", "non-positive stride", conv("--stride", "-1")),
                bad("zero stride", "non-positive stride", conv("--stride", "0")),
                bad("non-numeric stride", "stride must be an integer", conv("--stride", "two")),
                bad("negative padding", "negative padding is not supported", conv("--padding", "-1")),
                bad("non-numeric padding", "Invalid padding string 'lots'", conv("--padding", "lots")),
                bad("zero dilation", "dilation should be greater than zero", conv("--dilation", "0")),
                bad("negative dilation", "dilation should be greater than zero", conv("--dilation", "-2,1")),
                bad("non-numeric dilation", "dilation must be an integer", conv("--dilation", "1,x")),
                bad(
                        "groups not dividing channels",
                        "must be divisible by groups",
                        conv("--weight", "w_g.npy", "--groups", "3")),
                bad("zero groups", "groups must be a positive integer", conv("--groups", "0")),
                bad(
                        "same with stride",
                        "padding='same' is not supported for strided convolutions",
                        conv("--padding", "same", "--stride", "2")),
                bad("unknown padding word", "Invalid padding string 'full'", conv("--padding", "full")),
                bad("unknown padding mode", "padding_mode must be one of", conv("--padding-mode", "mirror")),
                bad(
                        "reflect on transposed",
                        "Only \"zeros\" padding mode is supported for ConvTranspose2d",
                        transposed("--padding-mode", "reflect")),
                bad(
                        "kernel larger than input",
                        "Kernel size can't be greater than actual input size",
                        conv("--weight", "w_big.npy")),
                bad(
                        "output_padding too large",
                        "output padding must be smaller than either stride or dilation",
                        transposed("--stride", "2", "--output-padding", "2")),
                bad(
                        "output size below range",
                        "requested an output size of [3, 3]",
                        transposed("--stride", "2", "--output-size", "3,3")),
                bad(
                        "output size above range",
                        "requested an output size of [15, 15]",
                        transposed("--stride", "2", "--output-size", "15,15")),
                bad(
                        "output size on conv2d",
                        "--output-size applies only to --op conv_transpose2d",
                        conv("--output-size", "6,6")),
                bad("unknown op", "unknown op 'conv3d'", conv("--op", "conv3d")),
                bad("unknown device", "unknown device 'tpu'", conv("--device", "tpu")),
                bad("out-of-range device", "opencl:99", conv("--device", "opencl:99")),
                bad("unknown option", "unknown option --strides", conv("--strides", "2")),
                bad("misspelt option", "unknown option --ouput (did you mean --output?)", misspeltOutput()),
                bad("option without its value", "run: --bias needs a value", biasWithoutValue()),
                bad(
                        "ConvTranspose2d weight given to conv2d",
                        "weight of shape [4, 8, 3, 3] does not match the input"
                                + " or the bias: read in conv2d's layout [out, in/groups, kH, kW] it gives"
                                + " in_channels=8 and"
                                + " out_channels=4",
                        conv("--weight", "w_t.npy", "--bias", "b.npy")),
                bad(
                        "Conv2d weight given to conv_transpose2d",
                        "the weight fits conv2d's layout",
                        transposed("--weight", "w.npy", "--bias", "b.npy")),
                bad("missing output", "--output is required", withoutOutput()));
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputExitsTwoWithOneLineAndNoOutputFile() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String device : TestDevices.names()) {
            for (BadInput input : battery()) {
                tests.add(DynamicTest.dynamicTest(device + ": " + input.name(), () -> {
                    TestDevices.resolve(device); // an OpenCL run needs the device to exist
                    Files.deleteIfExists(output); // dynamic tests share one directory
                    List<String> args = new ArrayList<>(input.args());
                    if (!args.contains("--device")) {
                        args.addAll(List.of("--device", device));
                    }
                    expectOneLineError(input.expected(), args);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void aGoodRunWritesTheOutput() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(conv("--bias", "b.npy", "--padding", "same", "--device", "java"), print(out), print(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertArrayEqualsShape(new int[] {1, 8, 6, 6}, Npy.readArray(output).shape());
        try (Stream<Path> files = Files.list(directory)) {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    private void expectOneLineError(String expected, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, print(out), print(err));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, "exit code for " + args + "; stderr: " + stderr);
        List<String> lines = stderr.lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr, got: " + stderr);
        assertTrue(lines.get(0).startsWith("jconv: error: "), lines.get(0));
        assertTrue(lines.get(0).contains(expected), "'" + lines.get(0) + "' should contain '" + expected + "'");
        assertFalse(stderr.contains("\tat "), "no stack trace");
        assertFalse(Files.exists(output), "no output file after a failure");
    }

    private static void assertArrayEqualsShape(int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static BadInput bad(String name, String expected, List<String> args) {
        return new BadInput(name, expected, args);
    }

    /** A valid conv2d command line with some options replaced. */
    private List<String> conv(String... overrides) {
        return command("conv2d", "w.npy", overrides);
    }

    /** A valid conv_transpose2d command line with some options replaced. */
    private List<String> transposed(String... overrides) {
        return command("conv_transpose2d", "w_t.npy", overrides);
    }

    private List<String> command(String op, String weight, String... overrides) {
        List<String> args = new ArrayList<>(List.of(
                "run", "--op", op, "--input", path("x.npy"), "--weight", path(weight), "--output", output.toString()));
        for (int i = 0; i < overrides.length; i += 2) {
            String name = overrides[i];
            String value = overrides[i + 1].endsWith(".npy") ? path(overrides[i + 1]) : overrides[i + 1];
            int at = args.indexOf(name);
            if (at >= 0) {
                args.set(at + 1, value);
            } else {
                args.add(name);
                args.add(value);
            }
        }
        return args;
    }

    /** {@code --bias --output y.npy}: the bias's value is missing, and --output must not be taken for it. */
    private List<String> biasWithoutValue() {
        List<String> args = conv();
        args.add(args.indexOf("--output"), "--bias");
        return args;
    }

    private List<String> misspeltOutput() {
        List<String> args = conv();
        args.set(args.indexOf("--output"), "--ouput");
        return args;
    }

    private List<String> withoutOutput() {
        List<String> args = conv();
        int at = args.indexOf("--output");
        args.remove(at + 1);
        args.remove(at);
        return args;
    }

    private String path(String name) {
        return directory.resolve(name).toString();
    }

    private void write(String name, int... shape) throws IOException {
        int count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        float[] data = new float[count];
        for (int i = 0; i < count; i++) {
            data[i] = (float) Math.sin(i);
        }
        Npy.write(directory.resolve(name), shape, data);
    }

    /** A .npy file whose header promises far more data than follows it. */
    private void header(String name, String dict) throws IOException {
        int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        byte[] bytes = new byte[10 + text.length() + 16];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length(), (byte) (text.length() >> 8)};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 10, text.length());
        Files.write(directory.resolve(name), bytes);
    }
}
