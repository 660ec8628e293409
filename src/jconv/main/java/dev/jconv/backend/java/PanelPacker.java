package dev.jconv.backend.java;

import java.util.Arrays;

/**
 * Fills a block of the implicit B matrix of a {@link GatherGemm} (all K rows, a run of pixels that may span images)
 * from the input, so the micro-kernel reads contiguous rows. Away from the padding a column map is affine
 * ({@code source = x * step + shift}): a row segment there is one array copy (step 1) or one strided loop without
 * map look-ups; only the padded border is gathered through the map. Grids with short rows (small images, the phases
 * of a transposed convolution) would pay that per-segment set-up for a handful of elements, so there each tap's
 * source offsets for the block's pixels are tabulated once and every channel is gathered through the table.
 */
final class PanelPacker {

    /**
     * Grid rows shorter than this are packed through a per-tap offset table rather than by row segments. Measured on
     * the bench shapes: 4-wide rows (dcgan_T1's phases) pack twice as fast through the table, 16-wide ones the same,
     * and 28-wide step-1 rows (unet_up2x2's phases) much slower than by array copies.
     */
    static final int SHORT_ROW = 16;

    private final GatherGemm problem;
    /** Per column tap: the grid columns [copyStart, copyEnd) whose source is {@code x * copyStep + copyShift}. */
    private final int[] copyStart;

    private final int[] copyEnd;
    private final int[] copyStep;
    private final int[] copyShift;

    PanelPacker(GatherGemm problem) {
        this.problem = problem;
        int taps = problem.taps().columns();
        copyStart = new int[taps];
        copyEnd = new int[taps];
        copyStep = new int[taps];
        copyShift = new int[taps];
        for (int tap = 0; tap < taps; tap++) {
            findLongestRun(tap);
        }
    }

    /** The longest run of grid columns that reads input columns at one fixed positive step through {@code tap}. */
    private void findLongestRun(int tap) {
        int[] source = problem.taps().columnSource();
        int taps = problem.taps().columns();
        int runStart = 0;
        int runStep = 0;
        for (int x = 0; x < problem.grid().width(); x++) {
            int here = source[x * taps + tap];
            if (here == PaddedIndex.ZERO) {
                runStart = x + 1;
                continue;
            }
            if (x > runStart) {
                int step = here - source[(x - 1) * taps + tap];
                if (x == runStart + 1 && step > 0) {
                    runStep = step;
                } else if (step != runStep) {
                    runStart = x;
                }
            }
            if (x + 1 - runStart > copyEnd[tap] - copyStart[tap]) {
                copyStart[tap] = runStart;
                copyEnd[tap] = x + 1;
                copyStep[tap] = x > runStart ? runStep : 1;
                copyShift[tap] = here - x * copyStep[tap];
            }
        }
    }

    /**
     * Writes {@code B[k, firstPixel + j]} of {@code group} to {@code panel[k * panelWidth + j]} for every k and
     * {@code j < count}, where pixels count across images.
     */
    void pack(float[] input, int group, int firstPixel, int count, float[] panel, int panelWidth) {
        GatherGemm p = problem;
        int imagePixels = p.pixels();
        for (int done = 0; done < count; ) {
            int image = (firstPixel + done) / imagePixels;
            int pixel = (firstPixel + done) % imagePixels;
            int run = Math.min(count - done, imagePixels - pixel);
            int inputOffset =
                    (image * p.sizes().inChannels() + group * p.sizes().inChannelsPerGroup()) * p.inputPlane();
            packImage(input, inputOffset, pixel, run, panel, panelWidth, done);
            done += run;
        }
    }

    /** Pixels [firstPixel, firstPixel + count) of one image into panel columns from {@code panelColumn}. */
    private void packImage(
            float[] input, int inputOffset, int firstPixel, int count, float[] panel, int panelWidth, int panelColumn) {
        if (problem.grid().width() < SHORT_ROW) {
            packThroughTable(input, inputOffset, firstPixel, count, panel, panelWidth, panelColumn);
        } else {
            packBySegments(input, inputOffset, firstPixel, count, panel, panelWidth, panelColumn);
        }
    }

    private void packThroughTable(
            float[] input, int inputOffset, int firstPixel, int count, float[] panel, int panelWidth, int panelColumn) {
        GatherGemm p = problem;
        GatherGemm.Taps taps = p.taps();
        int gridWidth = p.grid().width();
        int inWidth = p.sizes().inWidth();
        int tapCount = taps.rows() * taps.columns();
        int[] table = Scratch.current().ints(Scratch.Ints.TAP_OFFSETS, tapCount * count);
        for (int tapRow = 0, tap = 0; tapRow < taps.rows(); tapRow++) {
            for (int tapColumn = 0; tapColumn < taps.columns(); tapColumn++, tap++) {
                for (int j = 0; j < count; j++) {
                    int y = (firstPixel + j) / gridWidth;
                    int x = (firstPixel + j) % gridWidth;
                    int row = taps.rowSource()[y * taps.rows() + tapRow];
                    int column = taps.columnSource()[x * taps.columns() + tapColumn];
                    table[tap * count + j] = row == PaddedIndex.ZERO || column == PaddedIndex.ZERO
                            ? PaddedIndex.ZERO
                            : row * inWidth + column;
                }
            }
        }
        int k = 0;
        for (int channel = 0; channel < p.sizes().inChannelsPerGroup(); channel++) {
            int channelOffset = inputOffset + channel * p.inputPlane();
            for (int tap = 0; tap < tapCount; tap++, k++) {
                int destination = k * panelWidth + panelColumn;
                for (int j = 0, t = tap * count; j < count; j++, t++) {
                    int source = table[t];
                    panel[destination + j] = source == PaddedIndex.ZERO ? 0f : input[channelOffset + source];
                }
            }
        }
    }

    private void packBySegments(
            float[] input, int inputOffset, int firstPixel, int count, float[] panel, int panelWidth, int panelColumn) {
        GatherGemm p = problem;
        int gridWidth = p.grid().width();
        int k = 0;
        for (int channel = 0; channel < p.sizes().inChannelsPerGroup(); channel++) {
            int channelOffset = inputOffset + channel * p.inputPlane();
            for (int tapRow = 0; tapRow < p.taps().rows(); tapRow++) {
                for (int tapColumn = 0; tapColumn < p.taps().columns(); tapColumn++, k++) {
                    int destination = k * panelWidth + panelColumn;
                    int y = firstPixel / gridWidth;
                    int x = firstPixel % gridWidth;
                    for (int done = 0; done < count; y++, x = 0) {
                        int run = Math.min(count - done, gridWidth - x);
                        int sourceRow = p.taps().rowSource()[y * p.taps().rows() + tapRow];
                        if (sourceRow == PaddedIndex.ZERO) {
                            Arrays.fill(panel, destination + done, destination + done + run, 0f);
                        } else {
                            packRowSegment(
                                    input,
                                    channelOffset + sourceRow * p.sizes().inWidth(),
                                    tapColumn,
                                    x,
                                    run,
                                    panel,
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
        int step = copyStep[tap];
        int from = rowOffset + copyFrom * step + copyShift[tap];
        int to = destination + copyFrom - x;
        if (step == 1) {
            System.arraycopy(input, from, panel, to, copyTo - copyFrom);
        } else {
            for (int i = 0; i < copyTo - copyFrom; i++) {
                panel[to + i] = input[from + i * step];
            }
        }
        gather(input, rowOffset, tap, copyTo, end, panel, destination + copyTo - x);
    }

    private void gather(float[] input, int rowOffset, int tap, int from, int to, float[] panel, int destination) {
        int[] source = problem.taps().columnSource();
        int taps = problem.taps().columns();
        for (int x = from; x < to; x++) {
            int column = source[x * taps + tap];
            panel[destination + x - from] = column == PaddedIndex.ZERO ? 0f : input[rowOffset + column];
        }
    }
}
