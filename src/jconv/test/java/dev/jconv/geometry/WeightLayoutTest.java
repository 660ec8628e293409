package dev.jconv.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.IntPair;
import org.junit.jupiter.api.Test;

/** Each layout's shape and output channel per weight element, against a walk over the weight in PyTorch's order. */
class WeightLayoutTest {

    private static final int IN = 6;
    private static final int OUT = 4;
    private static final int GROUPS = 2;
    private static final IntPair KERNEL = IntPair.of(2, 3);

    @Test
    void convolutionWeightLeadsWithTheOutputChannel() {
        WeightLayout layout = WeightLayout.OUTPUT_CHANNELS_FIRST;
        int[] shape = layout.shape(IN, OUT, GROUPS, KERNEL);
        assertArrayEquals(new int[] {OUT, IN / GROUPS, 2, 3}, shape);
        int index = 0;
        for (int out = 0; out < OUT; out++) {
            for (int tap = 0; tap < IN / GROUPS * 6; tap++, index++) {
                assertEquals(out, layout.outputChannelOf(index, shape, GROUPS), "element " + index);
            }
        }
    }

    @Test
    void transposedWeightFeedsItsGroupsOutputs() {
        WeightLayout layout = WeightLayout.INPUT_CHANNELS_FIRST;
        int[] shape = layout.shape(IN, OUT, GROUPS, KERNEL);
        assertArrayEquals(new int[] {IN, OUT / GROUPS, 2, 3}, shape);
        int index = 0;
        for (int in = 0; in < IN; in++) {
            int group = in / (IN / GROUPS);
            for (int outInGroup = 0; outInGroup < OUT / GROUPS; outInGroup++) {
                for (int tap = 0; tap < 6; tap++, index++) {
                    assertEquals(
                            group * (OUT / GROUPS) + outInGroup,
                            layout.outputChannelOf(index, shape, GROUPS),
                            "element " + index);
                }
            }
        }
    }
}
