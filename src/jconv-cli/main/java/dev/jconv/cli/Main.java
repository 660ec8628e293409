package dev.jconv.cli;

import dev.jconv.backend.opencl.OpenClException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code jconv} command: {@code example}, {@code run}, {@code run-model}, {@code generate}, {@code verify},
 * {@code bench}, {@code devices}, {@code tune} and {@code soak}. Every failure is one line on stderr, never a stack
 * trace (set {@code JCONV_DEBUG=1} to see one):
 * exit code 1 when the OpenCL device failed at work that was valid ({@link OpenClException}: the same exit code as a
 * failed check), 2 for bad input and anything else.
 */
public final class Main {

    /** Exit code for bad input or any other failure to do what was asked. */
    static final int EXIT_ERROR = 2;
    /** Exit code when the device failed (an OpenCL error) at work that was valid. */
    static final int EXIT_DEVICE_FAILED = 1;

    private static final String USAGE = String.join(
            "\n",
            "usage: jconv <command> [options]   (jconv <command> --help: that command's usage)",
            "  example  [--device D]   the seed example: Conv2d and ConvTranspose2d(128, 64, 4, 2, 1) on 1x128x16x16",
            "  run      --op conv2d|conv_transpose2d --input X.npy --weight W.npy [--bias B.npy] --output Y.npy",
            "           [--stride S[,S]] [--padding P[,P]|same|valid] [--dilation D[,D]] [--groups G]",
            "           [--output-padding O[,O]] [--padding-mode zeros|reflect|replicate|circular]",
            "           [--output-size H,W] [--device auto|java|opencl[:N]]",
            "  run-model --model net.json --weights net.safetensors --input X.npy --output Y.npy [--device D]",
            "           a PyTorch nn.Sequential exported by scripts/export-sequential.py; X is [N,C,H,W] or [C,H,W]",
            "  generate [--device D] [--seed S] [--count N] [--out digits.png] [--compare-ort] [--budget SECONDS]",
            "           the shipped digits generator: checked against PyTorch, timed, drawn as a PNG grid",
            "  verify   [--device D] [--rtol R] [--atol A] DIR...",
            "  devices  list the devices jconv can run on",
            "  bench    [--device java|opencl|all] [--workload FILE] [--format table|csv|json] [--compare-torch]",
            "           [--compare-ort] [--plot FILE.png] [--budget SECONDS]",
            "  tune     [--device opencl[:N]] [--workload FILE] [--budget SECONDS] [--seed S]",
            "           finds the fastest kernels for the workload on the device; writes its tuning file",
            "  soak     [--minutes M] [--threads T] [--seed S]",
            "           mixed calls on OpenCL and Java for M minutes, each checked against the Java backend",
            "  compile  [--workload FILE] [--device D]",
            "           builds the programs of every workload shape ahead of time, into the binary cache",
            "  startup  [--device D] [--repeat N] [--classpath CP] [--plain-only]",
            "           times the seed's first result in fresh JVMs: caches empty, caches warm, new input sizes");

    private Main() {}

    public static void main(String[] args) {
        // The CLI's own logging setup, unless the user points Logback elsewhere; set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/jconv/cli/logback-cli.xml");
        }
        int code = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command and returns its exit code; prints errors as one line on {@code err}. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? EXIT_ERROR : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            Optional<String> usage = CommandUsage.of(USAGE, command);
            if (usage.isPresent()) {
                out.println(usage.get());
                return 0;
            }
        }
        try {
            switch (command) {
                case "run":
                    return RunCommand.run(rest, out);
                case "verify":
                    return VerifyCommand.run(rest, out);
                case "devices":
                    return DevicesCommand.run(rest, out);
                case "bench":
                    return BenchCommand.run(rest, out, err);
                case "example":
                    return ExampleCommand.run(rest, out);
                case "tune":
                    return TuneCommand.run(rest, out, err);
                case "run-model":
                    return RunModelCommand.run(rest, out);
                case "generate":
                    return GenerateCommand.run(rest, out);
                case "soak":
                    return SoakCommand.run(rest, out);
                case "compile":
                    return CompileCommand.run(rest, out);
                case "startup":
                    return StartupCommand.run(rest, out);
                default:
                    throw new UsageException("unknown command '" + command + "'"
                            + Suggestions.didYouMean(command, CommandUsage.commands(USAGE)) + " (expected example, run,"
                            + " run-model, generate, verify, devices, bench, tune, soak, compile or startup; see"
                            + " jconv --help)");
            }
        } catch (OpenClException e) {
            return fail(err, e, e.getMessage(), EXIT_DEVICE_FAILED);
        } catch (NoSuchFileException e) {
            return fail(err, e, "no such file: " + e.getFile());
        } catch (IOException | UncheckedIOException e) {
            return fail(err, e, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            return fail(err, e, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static int fail(PrintStream err, Throwable error, String message) {
        return fail(err, error, message, EXIT_ERROR);
    }

    private static int fail(PrintStream err, Throwable error, String message, int exitCode) {
        err.println("jconv: error: " + message.replace('\n', ' '));
        if ("1".equals(System.getenv("JCONV_DEBUG"))) {
            error.printStackTrace(err);
        }
        return exitCode;
    }
}
