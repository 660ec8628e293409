package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CLI's help: {@code jconv <command> --help}, "did you mean" for typos, and the example on the Java backend. */
class CliHelpTest {

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

    @Test
    void runHelpPrintsRunsUsageAndExitsZero() {
        Result result = run("run", "--help");
        assertEquals(0, result.code(), result.err());
        assertTrue(
                result.out().startsWith("usage: jconv run --op conv2d|conv_transpose2d --input X.npy"), result.out());
        assertTrue(result.out().contains("[--output-size H,W] [--device auto|java|opencl[:N]]"), result.out());
        assertFalse(result.out().contains("run-model"), "only run's lines: " + result.out());
        assertEquals("", result.err());
        assertEquals(result.out(), run("run", "--op", "conv2d", "-h").out(), "-h anywhere after the command");
    }

    @Test
    void everyCommandInTheUsageAnswersHelp() throws Exception {
        List<String> commands = CommandUsage.commands(usage());
        assertTrue(
                commands.containsAll(List.of(
                        "example", "run", "run-model", "generate", "verify", "devices", "bench", "tune", "soak")),
                commands.toString());
        for (String command : commands) {
            Result result = run(command, "--help");
            assertEquals(0, result.code(), command + ": " + result.err());
            assertTrue(result.out().startsWith("usage: jconv " + command), result.out());
        }
    }

    @Test
    void aCommandWithoutOptionsShowsItsDescriptionOnItsOwnLine() {
        assertEquals(
                "usage: jconv devices\n           list the devices jconv can run on\n",
                run("devices", "--help").out());
    }

    private static String usage() {
        Result result = run("--help");
        assertEquals(0, result.code());
        return result.out();
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOne() {
        Result result = run("exampel");
        assertEquals(2, result.code());
        assertTrue(
                result.err().startsWith("jconv: error: unknown command 'exampel' (did you mean example?)"),
                result.err());
        assertFalse(run("frobnicate").err().contains("did you mean"), "no suggestion for an unrelated word");
        assertEquals(Optional.of("run-model"), Suggestions.closest("run-modle", CommandUsage.commands(usage())));
    }

    @Test
    void suggestionsAreTyposNotOtherWords() {
        Set<String> options = Set.of("--device", "--output", "--output-size", "--bias", "--padding", "--padding-mode");
        assertEquals(Optional.of("--output"), Suggestions.closest("--ouput", options));
        assertEquals(Optional.of("--bias"), Suggestions.closest("--bais", options));
        assertEquals(Optional.of("--padding-mode"), Suggestions.closest("--padingmode", options));
        assertEquals(Optional.of("--device"), Suggestions.closest("--dev", options), "a unique abbreviation");
        assertEquals(Optional.empty(), Suggestions.closest("--out", options), "an abbreviation of two options");
        assertEquals(Optional.empty(), Suggestions.closest("--xyz", options));
        assertEquals(1, Suggestions.distance("exampel", "example"), "a swap of neighbours is one edit");
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void exampleOnJavaSaysThereIsNothingToCompareWith() {
        Result result = run("example", "--device", "java");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("device: java"), result.out());
        assertEquals(3, lines.size(), result.out());
        for (String line : lines.subList(1, 3)) {
            assertTrue(
                    line.endsWith("ms per call (java is the reference backend; no second device to compare with)"),
                    line);
            assertFalse(line.contains("vs java backend"), line);
        }
    }
}
