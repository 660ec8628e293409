package dev.jconv.backend.opencl;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The tuner's last step for one case: times the search's winner against the default afresh, interleaved, and keeps
 * the default unless the winner beats it.
 *
 * <p>Fresh times only: the winner's search time is the lowest of many noisy draws (the winner's curse), so weighing
 * it against the default's would favour the winner. On the noisy 2-core VM a search time 1.6x below the default's
 * became 1.15x above it once both were timed afresh.
 *
 * <p>The default was also timed when the case began. If its fresh time is more than {@link #SLOWDOWN} times that, the
 * device ran slower during the case than at its start (another load on the machine, a throttled or shared host: a
 * tune on the 2-core VM once timed a 5.5 ms default at 418 ms there), and times from such a period say nothing about
 * which kernel is faster. The comparison is then taken again while the caller allows; if the device never returns to
 * its speed, the default stays, with its time from the start, and a warning says why.
 */
final class WinnerConfirmation {

    /** Rounds of default-versus-winner timing per attempt, interleaved so a drifting machine favours neither. */
    static final int ROUNDS = 3;
    /** A fresh default time this many times its first one means the device's speed changed under the tuner. */
    static final double SLOWDOWN = 2.0;
    /** Comparisons tried before giving up on a device that stays slow. */
    static final int ATTEMPTS = 3;

    /**
     * What the confirmation kept, the times to record for the default and for the kept kernel, and a warning when
     * the device slowed down (null otherwise).
     */
    record Outcome(KernelChoice kept, double defaultMillis, double keptMillis, String warning) {}

    private WinnerConfirmation() {}

    /**
     * @param defaultChoice the case's default kernel
     * @param firstDefaultMillis the default's time when the case began
     * @param winner the search's fastest candidate (not the default)
     * @param time times one kernel now, in milliseconds per call
     * @param mayRetry whether the budget leaves time for another comparison after a slow one
     */
    static Outcome confirm(
            KernelChoice defaultChoice,
            double firstDefaultMillis,
            KernelChoice winner,
            ToDoubleFunction<KernelChoice> time,
            BooleanSupplier mayRetry) {
        double defaultMillis = Double.NaN;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            defaultMillis = Double.POSITIVE_INFINITY;
            double winnerMillis = Double.POSITIVE_INFINITY;
            for (int round = 0; round < ROUNDS; round++) {
                defaultMillis = Math.min(defaultMillis, time.applyAsDouble(defaultChoice));
                winnerMillis = Math.min(winnerMillis, time.applyAsDouble(winner));
            }
            if (!(defaultMillis > SLOWDOWN * firstDefaultMillis)) {
                return winnerMillis < defaultMillis
                        ? new Outcome(winner, defaultMillis, winnerMillis, null)
                        : new Outcome(defaultChoice, defaultMillis, defaultMillis, null);
            }
            if (attempt == ATTEMPTS || !mayRetry.getAsBoolean()) {
                break;
            }
        }
        String warning = String.format(
                Locale.ROOT,
                "the device slowed down during this case (the default took %.3f ms at its start, %.3f ms at its end), "
                        + "so its times cannot rank the kernels: kept the default",
                firstDefaultMillis,
                defaultMillis);
        return new Outcome(defaultChoice, firstDefaultMillis, firstDefaultMillis, warning);
    }
}
