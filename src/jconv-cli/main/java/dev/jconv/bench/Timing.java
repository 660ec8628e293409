package dev.jconv.bench;

/**
 * The spread of one timed call: wall milliseconds per call (min, median, max), the kernel-only median (NaN when
 * nothing reports kernel time) and the sample count; {@link #NONE} stands for a call that was not timed.
 */
public record Timing(double minMillis, double medianMillis, double maxMillis, double kernelMillis, int samples) {

    /** Not timed: every figure NaN, no samples. */
    public static final Timing NONE = new Timing(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
}
