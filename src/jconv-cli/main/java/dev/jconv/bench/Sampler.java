package dev.jconv.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one timing rule of the benchmark, for jconv and ONNX Runtime alike: warm up, then take samples of a call in
 * rounds until the median is stable over at least a minimum window, the budget is spent or enough samples are in.
 */
final class Sampler {

    /** When the median moves less than this between rounds, it is stable. */
    private static final double STABLE = 0.02;

    private static final int ROUND = 5;
    /**
     * Warm-up lasts this many calls and this long, whichever ends later: the JIT must have compiled the host path
     * and the Java kernels, or the first samples time the interpreter.
     */
    private static final int WARM_UP_CALLS = 20;

    private static final long WARM_UP_NANOS = 500_000_000L;
    /**
     * A median counts as stable only after this much sampling (or the whole budget, if shorter). Without it, ten
     * samples could settle a shape: 2 ms of a 0.2 ms op, so one slow spell of the VM (a second core taken for a few
     * milliseconds) decided the figure of whichever library it fell on.
     */
    private static final long MIN_WINDOW_NANOS = 500_000_000L;

    private final long budgetNanos;
    private final long minWindowNanos;
    private final int maxSamples;

    /**
     * @param budgetSeconds the most time spent sampling one call, after warm-up
     */
    Sampler(double budgetSeconds, int maxSamples) {
        this.budgetNanos = (long) (budgetSeconds * 1e9);
        this.minWindowNanos = Math.min(budgetNanos, MIN_WINDOW_NANOS);
        this.maxSamples = maxSamples;
    }

    /** Times {@code call} by wall clock alone (no kernel-only figure). */
    Timing sample(Runnable call) {
        return sample(call, () -> -1);
    }

    /**
     * Times {@code call}; {@code kernelNanos} reads a running total of kernel-only nanoseconds, negative when there
     * is none, and is read around every call.
     */
    Timing sample(Runnable call, LongSupplier kernelNanos) {
        long warmUpStart = System.nanoTime();
        for (int i = 0; i < WARM_UP_CALLS || System.nanoTime() - warmUpStart < WARM_UP_NANOS; i++) {
            call.run();
        }
        List<Double> wall = new ArrayList<>();
        List<Double> kernel = new ArrayList<>();
        long start = System.nanoTime();
        double previousMedian = Double.NaN;
        while (wall.size() < maxSamples) {
            for (int i = 0; i < ROUND; i++) {
                long kernelBefore = kernelNanos.getAsLong();
                long begin = System.nanoTime();
                call.run();
                wall.add((System.nanoTime() - begin) / 1e6);
                long kernelAfter = kernelNanos.getAsLong();
                if (kernelBefore >= 0 && kernelAfter >= 0) {
                    kernel.add((kernelAfter - kernelBefore) / 1e6);
                }
            }
            double median = median(wall);
            long elapsed = System.nanoTime() - start;
            boolean stable = Math.abs(median - previousMedian) <= STABLE * median;
            if ((stable && wall.size() >= 2 * ROUND && elapsed >= minWindowNanos) || elapsed > budgetNanos) {
                break;
            }
            previousMedian = median;
        }
        return new Timing(
                Collections.min(wall),
                median(wall),
                Collections.max(wall),
                kernel.isEmpty() ? Double.NaN : median(kernel),
                wall.size());
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
