package dev.jconv.backend.opencl;

import dev.jconv.AllClose;
import dev.jconv.backend.Backend;
import dev.jconv.geometry.ConvGeometry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Finds, on the device it runs on, the fastest kernel for each given layer shape, CLBlast's way: it measures the
 * current default, each variant's defaults, then parameter sets of both families ({@link DirectParameters},
 * {@link GemmParameters}) drawn at random or stepped from each family's best so far, until the time budget is spent,
 * and writes the winners to the device's tuning file (see {@link KernelSelector}).
 *
 * <p>A candidate is kept only if its output matches the reference backend's (the Java backend's) within 1e-4 (absolute
 * plus relative): a fast wrong kernel is never recorded. Each checked call writes into a buffer filled with NaN first,
 * so a candidate that leaves outputs unwritten cannot pass on an earlier candidate's results. Parameter sets the device
 * cannot run are refused before any build; candidates whose build or launch fails are skipped. Times are kernel-only
 * medians from profiling events when the device was opened with profiling ({@code -Djconv.profile=true}), else wall
 * times around a synchronize. No program binary is stored while it runs ({@link BinaryWriter#suspend} says why).
 */
public final class KernelTuner {

    /**
     * One layer shape to tune: the geometry of one call (sizes, parameters and epilogue) and the layer's weight and
     * bias (null without bias), which the correctness check runs with. The tuner works on backends, below the modules:
     * a module gives its case as {@code new Case(name, module.geometry(shape), weight, bias)}.
     */
    public record Case(String name, ConvGeometry geometry, float[] weight, float[] bias) {
        public Case {
            if (weight.length != geometry.weightElements()) {
                throw new IllegalArgumentException("case " + name + ": the weight has " + weight.length
                        + " values, but " + geometry.describe() + " takes " + geometry.weightElements());
            }
            if ((bias != null) != geometry.hasBias() || (bias != null && bias.length != geometry.outChannels())) {
                throw new IllegalArgumentException("case " + name + ": " + geometry.describe() + " takes "
                        + (geometry.hasBias() ? geometry.outChannels() + " bias values" : "no bias") + ", but got "
                        + (bias == null ? "none" : bias.length));
            }
        }
    }

    /** What tuning one case found. {@code bestKernel} equals {@code defaultKernel} when nothing beat it. */
    public record Result(
            String name,
            String defaultKernel,
            double defaultMillis,
            String bestKernel,
            double bestMillis,
            int measured,
            int rejected) {}

    private static final double TOLERANCE = 1e-4;
    private static final int WARM_UP_CALLS = 2;
    private static final int MAX_SAMPLES = 15;
    private static final long SAMPLE_NANOS = 200_000_000L;
    /** Draws in a row that were invalid or already measured, after which the space counts as exhausted. */
    private static final int MAX_REPEATED_DRAWS = 500;

    private final OpenClBackend backend;
    private final Backend reference;
    private final long budgetNanos;
    private final SplittableRandom random;
    private final Consumer<String> progress;

    /**
     * @param device an OpenCL device's backend, whose kernels are tuned
     * @param reference the backend whose outputs every candidate must match (the Java backend)
     * @param budgetSeconds the whole run's time budget; tuning stops taking candidates when it is spent
     */
    public KernelTuner(Backend device, Backend reference, double budgetSeconds, long seed, Consumer<String> progress) {
        if (!(device instanceof OpenClBackend openCl)) {
            throw new IllegalArgumentException(
                    "the tuner needs an OpenCL device, but got " + device.info().id());
        }
        if (!(budgetSeconds > 0)) {
            throw new IllegalArgumentException("the tuning budget must be positive, but got " + budgetSeconds + " s");
        }
        this.backend = openCl;
        this.reference = reference;
        this.budgetNanos = (long) (budgetSeconds * 1e9);
        this.random = new SplittableRandom(seed);
        this.progress = progress;
    }

    /** The file that {@link #tune} writes. */
    public Path tuningFile() {
        return backend.selector().tuningFile().path();
    }

    /** Tunes every case within the budget, writes the tuning file (keeping other shapes' entries) and returns. */
    public List<Result> tune(List<Case> cases) throws IOException {
        long deadline = System.nanoTime() + budgetNanos;
        KernelSelector selector = backend.selector();
        Map<TuningKey, TuningFile.Entry> entries = new LinkedHashMap<>();
        selector.reload();
        try {
            selector.tuningFile().read().forEach(entry -> entries.put(entry.key(), entry));
        } catch (IOException e) {
            progress.accept("tune: replacing the unreadable tuning file: " + e.getMessage());
        }
        List<Result> results = new ArrayList<>();
        try (BinaryWriter.Suspension noStores = backend.suspendBinaryStores()) {
            tuneEach(cases, deadline, entries, results);
        }
        selector.reload();
        progress.accept("tune: wrote " + tuningFile());
        return results;
    }

    /** Tunes the cases in turn, each in its share of the time left, writing the tuning file after each. */
    private void tuneEach(
            List<Case> cases, long deadline, Map<TuningKey, TuningFile.Entry> entries, List<Result> results)
            throws IOException {
        KernelSelector selector = backend.selector();
        for (int index = 0; index < cases.size(); index++) {
            long now = System.nanoTime();
            long share = (deadline - now) / (cases.size() - index);
            Case tuningCase = cases.get(index);
            progress.accept(String.format(
                    Locale.ROOT, "tune: [%d/%d] %s (%.1f s)", index + 1, cases.size(), tuningCase.name(), share / 1e9));
            CaseTuning tuning = new CaseTuning(tuningCase, now + share);
            Result result = tuning.run();
            results.add(result);
            entries.put(
                    tuning.key,
                    new TuningFile.Entry(
                            tuning.key,
                            tuning.best,
                            result.bestMillis(),
                            result.defaultKernel(),
                            result.defaultMillis()));
            // After every case, so a run cut short (a time limit, a crash) keeps what it has found.
            selector.tuningFile().write(new ArrayList<>(entries.values()));
        }
    }

    /** The search for one case. */
    private final class CaseTuning {
        private final Case tuningCase;
        private final long deadline;
        private final float[] inputValues;
        private final float[] reference;
        private final TuningKey key;
        private final KernelChoice defaultChoice;
        private KernelChoice best;
        private double bestMillis = Double.POSITIVE_INFINITY;
        /** The best of each family so far, around which the search takes local steps. */
        private DirectParameters bestDirect;

        private double bestDirectMillis = Double.POSITIVE_INFINITY;
        private GemmParameters bestGemm;
        private double bestGemmMillis = Double.POSITIVE_INFINITY;
        private final TriedCandidates tried;

        private final CandidateCosts costs = new CandidateCosts();
        private long slowestTimingNanos;
        private int measured;
        private int rejected;

        CaseTuning(Case tuningCase, long deadline) {
            this.tuningCase = tuningCase;
            this.deadline = deadline;
            this.inputValues = randomInput(tuningCase.geometry().inputElements(), random.split());
            try (CaseBuffers buffers = new CaseBuffers(KernelTuner.this.reference, tuningCase, inputValues)) {
                this.reference = buffers.output();
            }
            this.key = TuningKey.of(tuningCase.geometry());
            this.defaultChoice = backend.selector().select(key).choice();
            this.tried = new TriedCandidates(tuningCase.geometry(), backend.tuning());
        }

        Result run() {
            try (CaseBuffers input = new CaseBuffers(backend, tuningCase, inputValues)) {
                tried.add(defaultChoice);
                double defaultMillis = measure(defaultChoice, input);
                List<KernelChoice> seeds =
                        List.of(KernelChoice.DIRECT, KernelChoice.gemm(KernelDefaults.gemmFor(backend.info())));
                for (KernelChoice seed : seeds) {
                    if (hasTimeFor(seed) && tried.add(seed)) {
                        measure(seed, input);
                    }
                }
                int repeats = 0;
                while (hasTimeForTheCheapest() && repeats < MAX_REPEATED_DRAWS) {
                    KernelChoice next = nextCandidate();
                    if (next.problemFor(backend.selector().limits()) != null || !hasTimeFor(next) || !tried.add(next)) {
                        repeats++;
                        continue;
                    }
                    repeats = 0;
                    measure(next, input);
                }
                if (best == null || Double.isNaN(defaultMillis)) {
                    best = defaultChoice;
                    return result(defaultMillis, defaultMillis);
                }
                return confirm(defaultMillis, input);
            }
        }

        /** Times the winner against the default afresh ({@link WinnerConfirmation}); the result reports those times. */
        private Result confirm(double defaultMillis, CaseBuffers input) {
            if (best.equals(defaultChoice)) {
                return result(defaultMillis, bestMillis);
            }
            WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(
                    defaultChoice,
                    defaultMillis,
                    best,
                    candidate -> time(candidate, input),
                    this::hasTimeForConfirmation);
            if (outcome.warning() != null) {
                progress.accept("tune:   " + tuningCase.name() + ": " + outcome.warning());
            }
            best = outcome.kept();
            return result(outcome.defaultMillis(), outcome.keptMillis());
        }

        private Result result(double defaultMillis, double bestTime) {
            progress.accept(String.format(
                    Locale.ROOT,
                    "tune:   %s: %s %.3f ms (default %s %.3f ms; %d measured, %d " + "rejected)",
                    tuningCase.name(),
                    best,
                    bestTime,
                    defaultChoice,
                    defaultMillis,
                    measured,
                    rejected));
            return new Result(
                    tuningCase.name(),
                    defaultChoice.toString(),
                    defaultMillis,
                    best.toString(),
                    bestTime,
                    measured,
                    rejected);
        }

        /**
         * True when {@code candidate}, at its expected cost ({@link CandidateCosts}), and the closing re-time of
         * default against best still end before the deadline: the budget bounds the whole run, not only when
         * candidates start.
         */
        private boolean hasTimeFor(KernelChoice candidate) {
            return System.nanoTime() + costs.estimate(candidate) + confirmationNanos() < deadline;
        }

        /** True while a candidate of the cheapest kind measured so far still fits: else none does. */
        private boolean hasTimeForTheCheapest() {
            return System.nanoTime() + costs.cheapestEstimate() + confirmationNanos() < deadline;
        }

        /** True when one more default-versus-winner comparison ends before the deadline. */
        private boolean hasTimeForConfirmation() {
            return System.nanoTime() + confirmationNanos() < deadline;
        }

        private long confirmationNanos() {
            return 2L * WinnerConfirmation.ROUNDS * slowestTimingNanos;
        }

        /** Checks and times one candidate; NaN when it fails to build, to launch, or to match the reference. */
        private double measure(KernelChoice candidate, CaseBuffers input) {
            long start = System.nanoTime();
            try {
                return checkAndTime(candidate, input);
            } finally {
                costs.record(candidate, System.nanoTime() - start);
            }
        }

        private double checkAndTime(KernelChoice candidate, CaseBuffers input) {
            double millis;
            try {
                AllClose comparison = AllClose.compare(output(candidate, input), reference, TOLERANCE, TOLERANCE);
                if (!comparison.passed()) {
                    rejected++;
                    progress.accept("tune:   " + candidate + ": rejected, " + comparison.failures() + " outputs "
                            + "differ from the Java backend's (worst |difference| " + comparison.worstDifference()
                            + ")");
                    return Double.NaN;
                }
                millis = time(candidate, input);
            } catch (OpenClException e) { // a KernelBuildException too
                rejected++;
                progress.accept("tune:   " + candidate + ": skipped, " + firstLine(e.getMessage()));
                return Double.NaN;
            }
            measured++;
            progress.accept(String.format(Locale.ROOT, "tune:   %s: %.3f ms", candidate, millis));
            if (millis < bestMillis) {
                bestMillis = millis;
                best = candidate;
            }
            if (candidate.gemm() != null && millis < bestGemmMillis) {
                bestGemm = candidate.gemm();
                bestGemmMillis = millis;
            } else if (candidate.gemm() == null && millis < bestDirectMillis) {
                bestDirect = candidate.direct() != null ? candidate.direct() : DirectParameters.of(backend.tuning());
                bestDirectMillis = millis;
            }
            return millis;
        }

        /**
         * The next candidate: a family (CPUs mostly try the direct kernels, GPUs the GEMM), then a random draw or
         * a step from that family's best.
         */
        private KernelChoice nextCandidate() {
            boolean cpu = backend.info().type() == dev.jconv.DeviceType.CPU;
            boolean direct = random.nextDouble() < (cpu ? 0.75 : 0.25);
            boolean step = random.nextBoolean();
            if (direct) {
                DirectParameters parameters = step && bestDirect != null
                        ? DirectParameters.SPACE.neighbour(bestDirect, random)
                        : DirectParameters.SPACE.random(random);
                // The device's own row under another name: the same candidate as the heuristics' DIRECT.
                return parameters.equals(DirectParameters.of(backend.tuning()))
                        ? KernelChoice.DIRECT
                        : KernelChoice.direct(parameters);
            }
            return KernelChoice.gemm(
                    step && bestGemm != null
                            ? GemmParameters.SPACE.neighbour(bestGemm, random)
                            : GemmParameters.SPACE.random(random));
        }

        private float[] output(KernelChoice candidate, CaseBuffers input) {
            float[][] result = new float[1][];
            KernelSelector.withCandidate(candidate, () -> result[0] = input.output());
            return result[0];
        }

        /** Median milliseconds per call after a warm-up. */
        private double time(KernelChoice candidate, CaseBuffers input) {
            long timingStart = System.nanoTime();
            List<Double> samples = new ArrayList<>();
            KernelSelector.withCandidate(candidate, () -> {
                for (int call = 0; call < WARM_UP_CALLS; call++) {
                    input.call();
                }
                long samplingStart = System.nanoTime();
                while (samples.size() < MAX_SAMPLES
                        && (samples.size() < 3 || System.nanoTime() - samplingStart < SAMPLE_NANOS)) {
                    long kernelBefore = backend.kernelNanos();
                    long wallBefore = System.nanoTime();
                    input.call();
                    long wall = System.nanoTime() - wallBefore;
                    long kernel = backend.kernelNanos() - kernelBefore;
                    samples.add((kernelBefore >= 0 ? kernel : wall) / 1e6);
                }
            });
            samples.sort(Double::compare);
            slowestTimingNanos = Math.max(slowestTimingNanos, System.nanoTime() - timingStart);
            return samples.get(samples.size() / 2);
        }
    }

    private static float[] randomInput(long elements, SplittableRandom random) {
        float[] values = new float[Math.toIntExact(elements)];
        for (int index = 0; index < values.length; index++) {
            values[index] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
