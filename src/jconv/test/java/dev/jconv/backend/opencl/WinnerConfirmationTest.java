package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The tuner's closing comparison, with a scripted clock in place of the device. */
class WinnerConfirmationTest {

    private static final KernelChoice DEFAULT = KernelChoice.DIRECT;
    private static final KernelChoice WINNER = KernelChoice.direct(new DirectParameters(16, 8, 16, 8, 256, 3, 0, 4));

    /** Times each kernel by a fixed base, times the slowdown in force at that call; logs the calls in order. */
    private static final class ScriptedDevice implements ToDoubleFunction<KernelChoice> {
        final List<KernelChoice> calls = new ArrayList<>();
        private final double defaultMillis;
        private final double winnerMillis;
        private final int slowCalls;
        private final double slowdown;

        ScriptedDevice(double defaultMillis, double winnerMillis, int slowCalls, double slowdown) {
            this.defaultMillis = defaultMillis;
            this.winnerMillis = winnerMillis;
            this.slowCalls = slowCalls;
            this.slowdown = slowdown;
        }

        @Override
        public double applyAsDouble(KernelChoice choice) {
            double factor = calls.size() < slowCalls ? slowdown : 1.0;
            calls.add(choice);
            return factor * (choice.equals(DEFAULT) ? defaultMillis : winnerMillis);
        }
    }

    @Test
    void aWinnerThatIsFasterAfreshIsKeptWithItsFreshTime() {
        ScriptedDevice device = new ScriptedDevice(5.0, 4.0, 0, 1.0);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.2, WINNER, device, () -> true);
        assertEquals(WINNER, outcome.kept());
        assertEquals(5.0, outcome.defaultMillis());
        assertEquals(4.0, outcome.keptMillis());
        assertNull(outcome.warning());
        // One attempt, default and winner alternating, so a drifting machine favours neither.
        assertEquals(2 * WinnerConfirmation.ROUNDS, device.calls.size());
        for (int call = 0; call < device.calls.size(); call++) {
            assertEquals(call % 2 == 0 ? DEFAULT : WINNER, device.calls.get(call), "call " + call);
        }
    }

    @Test
    void aWinnerWhoseSearchTimeWasLuckKeepsTheDefault() {
        ScriptedDevice device = new ScriptedDevice(5.0, 5.5, 0, 1.0);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.0, WINNER, device, () -> true);
        assertEquals(DEFAULT, outcome.kept());
        assertEquals(5.0, outcome.defaultMillis());
        assertEquals(5.0, outcome.keptMillis());
        assertNull(outcome.warning());
    }

    @Test
    void aPassingSlowdownIsWaitedOutAndTheNextComparisonDecides() {
        // The first comparison runs 80x slow, as a tune on the VM once saw; the second at the device's speed.
        ScriptedDevice device = new ScriptedDevice(5.0, 4.0, 2 * WinnerConfirmation.ROUNDS, 80.0);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.0, WINNER, device, () -> true);
        assertEquals(WINNER, outcome.kept());
        assertEquals(4.0, outcome.keptMillis());
        assertNull(outcome.warning());
        assertEquals(4 * WinnerConfirmation.ROUNDS, device.calls.size());
    }

    @Test
    void aDeviceThatStaysSlowKeepsTheDefaultWithItsFirstTimeAndAWarning() {
        ScriptedDevice device = new ScriptedDevice(5.0, 4.0, Integer.MAX_VALUE, 80.0);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.0, WINNER, device, () -> true);
        assertEquals(DEFAULT, outcome.kept());
        assertEquals(5.0, outcome.defaultMillis());
        assertEquals(5.0, outcome.keptMillis());
        assertTrue(outcome.warning().contains("5.000 ms at its start, 400.000 ms at its end"), outcome.warning());
        assertEquals(2 * WinnerConfirmation.ROUNDS * WinnerConfirmation.ATTEMPTS, device.calls.size());
    }

    @Test
    void noRetryWithoutTimeLeft() {
        ScriptedDevice device = new ScriptedDevice(5.0, 4.0, Integer.MAX_VALUE, 80.0);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.0, WINNER, device, () -> false);
        assertEquals(DEFAULT, outcome.kept());
        assertTrue(outcome.warning().contains("kept the default"), outcome.warning());
        assertEquals(2 * WinnerConfirmation.ROUNDS, device.calls.size());
    }

    @Test
    void aSlowdownWithinTheLimitIsOrdinaryNoise() {
        // 1.9x the first time: the VM's slow mode, in which interleaved times still rank kernels.
        ScriptedDevice device = new ScriptedDevice(5.0, 4.0, Integer.MAX_VALUE, 1.9);
        WinnerConfirmation.Outcome outcome = WinnerConfirmation.confirm(DEFAULT, 5.0, WINNER, device, () -> true);
        assertEquals(WINNER, outcome.kept());
        assertNull(outcome.warning());
        assertEquals(2 * WinnerConfirmation.ROUNDS, device.calls.size());
    }
}
