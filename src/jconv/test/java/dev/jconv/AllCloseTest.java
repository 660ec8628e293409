package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The comparison behind verify and the tuner's candidate check: numpy.allclose's rule, NaN-aware. */
class AllCloseTest {

    private static final float[] REFERENCE = {1f, -2f, 1000f, Float.NaN, Float.POSITIVE_INFINITY};

    @Test
    void equalAndNearlyEqualOutputsPass() {
        assertTrue(AllClose.compare(REFERENCE.clone(), REFERENCE, 1e-4, 1e-4).passed());
        AllClose near = AllClose.compare(
                new float[] {1.00005f, -2f, 1000.05f, Float.NaN, Float.POSITIVE_INFINITY}, REFERENCE, 1e-4, 1e-4);
        assertTrue(near.passed(), near.toString());
        assertEquals(0.05, near.worstDifference(), 1e-3);
    }

    @Test
    void outputsOutsideTheToleranceOrWithAMissingNanFail() {
        AllClose off = AllClose.compare(
                new float[] {1.001f, -2f, 1000f, Float.NaN, Float.POSITIVE_INFINITY}, REFERENCE, 1e-4, 1e-4);
        assertFalse(off.passed());
        assertEquals(1, off.failures());
        AllClose lostNan =
                AllClose.compare(new float[] {1f, -2f, 1000f, 0f, Float.POSITIVE_INFINITY}, REFERENCE, 1e-4, 1e-4);
        assertEquals(1, lostNan.failures());
        assertEquals(Double.POSITIVE_INFINITY, lostNan.worstDifference());
        assertEquals(
                1,
                AllClose.compare(
                                new float[] {1f, -2f, 1000f, Float.NaN, Float.NEGATIVE_INFINITY}, REFERENCE, 1e-4, 1e-4)
                        .failures());
        assertThrows(IllegalArgumentException.class, () -> AllClose.compare(new float[] {1f}, REFERENCE, 1e-4, 1e-4));
    }
}
