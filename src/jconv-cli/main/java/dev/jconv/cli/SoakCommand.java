package dev.jconv.cli;

import dev.jconv.AllClose;
import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jconv soak}: threads calling a mix of layers ({@link SoakWorkload}), batch sizes, devices (the OpenCL
 * device and the Java backend) and ways of calling (host input, device-resident input, a module made and closed for
 * one call) for a set time, each result checked against the Java backend's. Once a minute it prints what a leak or a
 * broken recovery would move: calls, mismatches, errors, live device buffers, device memory held and the JVM's
 * resident memory; a flat line is the goal. Exit 1 on any mismatch or error, or when device buffers are still live
 * once everything is closed.
 */
final class SoakCommand {

    private static final String NAME = "soak";
    private static final Set<String> OPTIONS = Set.of("--minutes", "--threads", "--seed", "--device");
    private static final long REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** The same tolerance as {@code jconv verify}'s default. */
    private static final double TOLERANCE = 1e-4;
    /** Problems printed in full; past these only the counts grow, so a broken device cannot flood the log. */
    private static final int PROBLEMS_SHOWN = 10;
    /** One call in this many makes a new module (uploads its parameters) and closes it after the call. */
    private static final int FRESH_MODULE_EVERY = 25;
    /** One call in this many waits for the device afterwards (a clFinish besides the reads). */
    private static final int SYNCHRONIZE_EVERY = 10;

    private SoakCommand() {}

    /** Counters shared by the workers. */
    private static final class Tally {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong deviceCalls = new AtomicLong();
        final AtomicLong mismatches = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong shown = new AtomicLong();
    }

    static int run(List<String> args, PrintStream out) {
        Arguments arguments = Arguments.parseOptions(NAME, args, OPTIONS, Set.of());
        double minutes = arguments.number(NAME, "--minutes", 1);
        int threads = arguments.integer(NAME, "--threads", 2);
        if (threads < 1) {
            throw new UsageException(NAME + ": --threads must be at least 1, but got " + threads);
        }
        long seed = arguments.integer(NAME, "--seed", 1);
        Device device = Device.select(arguments.get("--device", "opencl"));
        long buffersAtStart = device.backend().liveBuffers();
        Tally tally = new Tally();
        long start = System.nanoTime();
        try (SoakWorkload workload = new SoakWorkload(device, seed)) {
            out.println("soak: " + workload.layers().size() + " layers x batch 1-" + SoakWorkload.MAX_BATCH + " on "
                    + device.id() + " and java, " + threads + " thread(s), " + format(minutes) + " minute(s)");
            long deadline = start + (long) (minutes * REPORT_NANOS);
            List<Thread> workers = new ArrayList<>();
            for (int index = 0; index < threads; index++) {
                long threadSeed = seed * 1_000_003L + index;
                Thread worker = new Thread(
                        () -> work(workload, device, new SplittableRandom(threadSeed), deadline, tally, out),
                        "jconv-soak-" + index);
                workers.add(worker);
                worker.start();
            }
            try {
                for (long next = start + REPORT_NANOS; next <= deadline; next += REPORT_NANOS) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                    out.println("soak: minute " + Math.round((next - start) / (double) REPORT_NANOS) + ": "
                            + status(tally, device));
                }
                for (Thread worker : workers) {
                    worker.join();
                }
            } catch (InterruptedException e) {
                workers.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("soak: interrupted", e);
            }
            device.synchronize();
        }
        long buffersAtEnd = device.backend().liveBuffers();
        double elapsed = (System.nanoTime() - start) / (double) REPORT_NANOS;
        out.println("soak: done after " + format(elapsed) + " minute(s): " + status(tally, device));
        out.println("soak: live device buffers once everything is closed: " + buffersAtEnd + " (" + buffersAtStart
                + " at the start)");
        boolean failed = tally.mismatches.get() > 0 || tally.errors.get() > 0 || buffersAtEnd != buffersAtStart;
        out.println("soak: " + (failed ? "FAILED" : "passed"));
        return failed ? 1 : 0;
    }

    /** One worker: random calls until the deadline; a failure is counted and shown, never the end of the worker. */
    private static void work(
            SoakWorkload workload,
            Device device,
            SplittableRandom random,
            long deadline,
            Tally tally,
            PrintStream out) {
        List<SoakWorkload.Layer> layers = workload.layers();
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            SoakWorkload.Layer layer = layers.get(random.nextInt(layers.size()));
            int batch = 1 + random.nextInt(SoakWorkload.MAX_BATCH);
            // Two calls in three on the device under test: the Java backend is the reference, so it needs fewer.
            Device target = device.isJava() || random.nextInt(3) == 0 ? Device.java() : device;
            boolean fresh = random.nextInt(FRESH_MODULE_EVERY) == 0;
            boolean resident = !fresh && !target.isJava() && random.nextBoolean();
            String what = layer.name() + " batch " + batch + " on " + target.id()
                    + (fresh ? " (new module)" : resident ? " (device-resident input)" : "");
            try {
                float[] actual = call(layer, batch, target, fresh, resident);
                if (random.nextInt(SYNCHRONIZE_EVERY) == 0) {
                    target.synchronize();
                }
                AllClose comparison = AllClose.compare(actual, layer.expected(batch), TOLERANCE, TOLERANCE);
                if (!comparison.passed()) {
                    tally.mismatches.incrementAndGet();
                    show(
                            tally,
                            out,
                            "mismatch: " + what + ": " + comparison.failures() + " of " + actual.length
                                    + " outputs differ from the Java backend's (worst " + comparison.worstDifference()
                                    + ")");
                }
            } catch (RuntimeException | Error e) {
                tally.errors.incrementAndGet();
                show(tally, out, "error: " + what + ": " + firstLine(String.valueOf(e.getMessage())));
            }
            tally.calls.incrementAndGet();
            if (!target.isJava()) {
                tally.deviceCalls.incrementAndGet();
            }
        }
    }

    private static float[] call(SoakWorkload.Layer layer, int batch, Device target, boolean fresh, boolean resident) {
        Tensor input = layer.input(batch);
        if (fresh) {
            try (ConvModule<?, ?> module = SoakWorkload.twin(layer.reference(), target)) {
                return module.forward(input).toArray();
            }
        }
        ConvModule<?, ?> module = target.isJava() ? layer.reference() : layer.onDevice();
        if (resident) {
            try (Tensor onDevice = input.to(target);
                    Tensor output = module.forward(onDevice)) {
                return output.toArray();
            }
        }
        return module.forward(input).toArray();
    }

    private static void show(Tally tally, PrintStream out, String problem) {
        if (tally.shown.incrementAndGet() <= PROBLEMS_SHOWN) {
            out.println("soak: " + problem);
        }
    }

    private static String status(Tally tally, Device device) {
        return tally.calls.get() + " calls (" + tally.deviceCalls.get() + " on " + device.id() + "), "
                + tally.mismatches.get() + " mismatches, " + tally.errors.get() + " errors; live device buffers "
                + device.backend().liveBuffers() + ", device memory "
                + mebibytes(device.backend().deviceBytes())
                + "; resident memory " + residentMemory();
    }

    /** The JVM's resident set, from /proc/self/status (Linux); "n/a" elsewhere. */
    static String residentMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kibibytes = Long.parseLong(
                            line.substring("VmRSS:".length()).replace("kB", "").trim());
                    return mebibytes(kibibytes * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a format this reader does not know: the soak still runs, without this figure.
        }
        return "n/a";
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String format(double minutes) {
        return String.format(Locale.ROOT, "%.2f", minutes);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
