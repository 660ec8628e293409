package dev.jconv.backend.java;

import java.util.Arrays;

/**
 * Fills a block of the implicit B matrix of a {@link GatherGemm} (all K rows, a run of pixels) from the input, so the
 * micro-kernel reads contiguous rows. Where a column map is a plain shift (stride 1 away from the padding) a row
 * segment is one array copy; only padded or strided columns are gathered one by one.
 */
final class PanelPacker {

    private final GatherGemm problem;
    /** Per column tap: the grid columns [copyStart, copyEnd) whose source is {@code x + copyShift}. */
    private final int[] copyStart;
    private final int[] copyEnd;
    private final int[] copyShift;

    PanelPacker(GatherGemm problem) {
        this.problem = problem;
        int taps = problem.tapColumns();
        copyStart = new int[taps];
        copyEnd = new int[taps];
        copyShift = new int[taps];
        for (int tap = 0; tap < taps; tap++) {
            findLongestShift(tap);
        }
    }

    /** The longest run of grid columns that reads consecutive input columns through {@code tap}. */
    private void findLongestShift(int tap) {
        int[] source = problem.columnSource();
        int taps = problem.tapColumns();
        int runStart = 0;
        for (int x = 0; x < problem.gridWidth(); x++) {
            int here = source[x * taps + tap];
            if (here == PaddedIndex.ZERO) {
                runStart = x + 1;
                continue;
            }
            if (x > runStart && here != source[(x - 1) * taps + tap] + 1) {
                runStart = x;
            }
            if (x + 1 - runStart > copyEnd[tap] - copyStart[tap]) {
                copyStart[tap] = runStart;
                copyEnd[tap] = x + 1;
                copyShift[tap] = here - x;
            }
        }
    }

    /**
     * Writes {@code B[k, firstPixel + j]} to {@code panel[k * panelWidth + j]} for every k and {@code j < count}.
     *
     * @param inputOffset where channel 0 of this (image, group) starts in {@code input}
     */
    void pack(float[] input, int inputOffset, int firstPixel, int count, float[] panel, int panelWidth) {
        GatherGemm p = problem;
        int gridWidth = p.gridWidth();
        int k = 0;
        for (int channel = 0; channel < p.channelsPerGroup(); channel++) {
            int channelOffset = inputOffset + channel * p.inputPlane();
            for (int tapRow = 0; tapRow < p.tapRows(); tapRow++) {
                for (int tapColumn = 0; tapColumn < p.tapColumns(); tapColumn++, k++) {
                    int destination = k * panelWidth;
                    int y = firstPixel / gridWidth;
                    int x = firstPixel % gridWidth;
                    for (int done = 0; done < count; y++, x = 0) {
                        int run = Math.min(count - done, gridWidth - x);
                        int sourceRow = p.rowSource()[y * p.tapRows() + tapRow];
                        if (sourceRow == PaddedIndex.ZERO) {
                            Arrays.fill(panel, destination + done, destination + done + run, 0f);
                        } else {
                            packRowSegment(input, channelOffset + sourceRow * p.inWidth(), tapColumn, x, run, panel,
                                    destination + done);
                        }
                        done += run;
                    }
                }
            }
        }
    }

    /** Grid columns [x, x + run) of one input row through one column tap. */
    private void packRowSegment(float[] input, int rowOffset, int tap, int x, int run, float[] panel, int destination) {
        int end = x + run;
        int copyFrom = Math.max(x, copyStart[tap]);
        int copyTo = Math.min(end, copyEnd[tap]);
        if (copyFrom >= copyTo) {
            gather(input, rowOffset, tap, x, end, panel, destination);
            return;
        }
        gather(input, rowOffset, tap, x, copyFrom, panel, destination);
        System.arraycopy(input, rowOffset + copyFrom + copyShift[tap], panel, destination + copyFrom - x,
                copyTo - copyFrom);
        gather(input, rowOffset, tap, copyTo, end, panel, destination + copyTo - x);
    }

    private void gather(float[] input, int rowOffset, int tap, int from, int to, float[] panel, int destination) {
        int[] source = problem.columnSource();
        int taps = problem.tapColumns();
        for (int x = from; x < to; x++) {
            int column = source[x * taps + tap];
            panel[destination + x - from] = column == PaddedIndex.ZERO ? 0f : input[rowOffset + column];
        }
    }
}
