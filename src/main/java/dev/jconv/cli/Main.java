package dev.jconv.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code jconv} command: {@code example}, {@code run}, {@code run-model}, {@code generate}, {@code verify},
 * {@code bench}, {@code devices} and {@code tune}. Every failure is one line on stderr and exit code 2, never a stack trace (set {@code JCONV_DEBUG=1}
 * to see one).
 */
public final class Main {

    /** Exit code for bad input or any other failure to do what was asked. */
    static final int EXIT_ERROR = 2;

    private static final String USAGE = String.join("\n",
            "usage: jconv <command> [options]",
            "  example  [--device D]   the seed example: Conv2d and ConvTranspose2d(128, 64, 4, 2, 1) on 1x128x16x16",
            "  run      --op conv2d|conv_transpose2d --input X.npy --weight W.npy [--bias B.npy] --output Y.npy",
            "           [--stride S[,S]] [--padding P[,P]|same|valid] [--dilation D[,D]] [--groups G]",
            "           [--output-padding O[,O]] [--padding-mode zeros|reflect|replicate|circular]",
            "           [--output-size H,W] [--device auto|java|opencl[:N]]",
            "  run-model --model net.json --weights net.safetensors --input X.npy --output Y.npy [--device D]",
            "           a PyTorch nn.Sequential exported by scripts/export-sequential.py; X is [N,C,H,W] or [C,H,W]",
            "  generate [--device D] [--seed S] [--count N] [--out digits.png]",
            "           the shipped digits generator: checked against PyTorch, timed, drawn as a PNG grid",
            "  verify   [--device D] [--rtol R] [--atol A] DIR...",
            "  devices  list the devices jconv can run on",
            "  bench    [--device java|opencl|all] [--workload FILE] [--format table|csv|json] [--compare-torch]",
            "           [--compare-ort] [--plot FILE.png] [--budget SECONDS]",
            "  tune     [--device opencl[:N]] [--workload FILE] [--budget SECONDS] [--seed S]",
            "           finds the fastest kernels for the workload on the device; writes its tuning file");

    private Main() {
    }

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
                default:
                    throw new UsageException("unknown command '" + command + "' (expected example, run,"
                            + " run-model, generate, verify, devices, bench or tune; see jconv --help)");
            }
        } catch (NoSuchFileException e) {
            return fail(err, e, "no such file: " + e.getFile());
        } catch (IOException | UncheckedIOException e) {
            return fail(err, e, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            return fail(err, e, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static int fail(PrintStream err, Throwable error, String message) {
        err.println("jconv: error: " + message.replace('\n', ' '));
        if ("1".equals(System.getenv("JCONV_DEBUG"))) {
            error.printStackTrace(err);
        }
        return EXIT_ERROR;
    }
}
