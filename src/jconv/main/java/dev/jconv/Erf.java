package dev.jconv;

/**
 * The error function in double precision, which the JDK lacks; exact GELU needs it. Accurate to about 1e-14, far
 * beyond the float result it feeds.
 */
final class Erf {

    /** Below this the Maclaurin series is used (its alternating terms lose at most two digits here). */
    private static final double SERIES_LIMIT = 2.5;
    /** Past this erfc(x) < 2e-17: erf is +-1 in double. */
    private static final double SATURATION = 6;

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final int CONTINUED_FRACTION_TERMS = 80;

    private Erf() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double magnitude = Math.abs(x);
        if (magnitude >= SATURATION) {
            return Math.signum(x);
        }
        if (magnitude < SERIES_LIMIT) {
            return series(x);
        }
        return Math.signum(x) * (1 - complementLarge(magnitude));
    }

    /** erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)), summed until the terms stop changing it. */
    private static double series(double x) {
        double square = x * x;
        double power = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            power *= -square / n;
            double term = power / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * erfc(x) for x >= 2.5 from its continued fraction, erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x +
     * (3/2)/(x + ...)))), evaluated from the tail, where it converges quickly.
     */
    private static double complementLarge(double x) {
        double tail = x;
        for (int k = CONTINUED_FRACTION_TERMS; k >= 1; k--) {
            tail = x + (k / 2.0) / tail;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / tail;
    }
}
