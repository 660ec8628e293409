package dev.jconv;

/**
 * numpy.allclose's rule, element by element: {@code |actual - expected| <= atol + rtol * |expected|}, where NaN
 * matches NaN only and an infinity matches only the same infinity. The one comparison behind {@code jconv verify} and
 * the tuner's check
 * of every candidate kernel.
 *
 * @param failures        elements outside the tolerance
 * @param worstDifference the largest |actual - expected| over elements that are not equal (infinite for a NaN
 *                        mismatch)
 */
public record AllClose(int failures, double worstDifference) {

    /**
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static AllClose compare(float[] actual, float[] expected, double rtol, double atol) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("cannot compare " + actual.length + " values with " + expected.length);
        }
        double worst = 0;
        int failures = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Float.isNaN(expected[i]) || Float.isNaN(actual[i])) {
                if (Float.isNaN(expected[i]) != Float.isNaN(actual[i])) {
                    failures++;
                    worst = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            if (actual[i] == expected[i]) {
                continue; // equal infinities included
            }
            double error = Math.abs((double) actual[i] - expected[i]);
            worst = Math.max(worst, error);
            // An infinity matches only itself: rtol x infinity would otherwise admit any value, the other sign too.
            if (Float.isInfinite(expected[i]) || !(error <= atol + rtol * Math.abs(expected[i]))) {
                failures++;
            }
        }
        return new AllClose(failures, worst);
    }

    public boolean passed() {
        return failures == 0;
    }
}
