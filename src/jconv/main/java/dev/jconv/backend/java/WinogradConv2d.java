package dev.jconv.backend.java;

import dev.jconv.Activation;
import dev.jconv.IntPair;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvSizes;
import java.util.Arrays;

/**
 * Conv2d by Winograd's F(2x2, 3x3), for 3x3 stride-1 dilation-1 convolutions whose module asked for it. Each 2x2
 * block of outputs ("tile") comes from the 4x4 input patch under it: the patch and the 3x3 filter are each taken to a
 * 4x4 transform domain ({@code V = Bt d B}, {@code U = G g Gt}), multiplied point by point and summed over the input
 * channels, which at each of the 16 points is a matrix product of the weights [out x in] by the patches [in x tiles],
 * then brought back ({@code Y = At M A}). The input is padded first ({@link PaddedInput}, so every padding mode
 * works) and the filter transforms are kept with the weights between calls. A task owns a run of tiles of one image
 * and group and writes each of their outputs once, and every sum runs in a fixed order, so results are the same bits
 * run to run.
 */
final class WinogradConv2d {

    /** Outputs per tile side, input patch side, and points of the transform domain. */
    private static final int OUT = 2;

    private static final int PATCH = 4;
    private static final int POINTS = PATCH * PATCH;
    /** Floats of transformed patches one task keeps (in L2 with the products). */
    private static final int PATCH_BUDGET_FLOATS = 96 * 1024;

    private WinogradConv2d() {}

    static void run(Conv2dGeometry g, Operands data, MicroKernel kernel, ParallelRunner runner) {
        ConvSizes sizes = g.sizes();
        float[] filters = data.derivedWeight(
                new FilterKey(sizes.outChannels(), sizes.inChannels(), sizes.groups()),
                () -> transformFilters(sizes, data.weight()));
        PaddedInput padded = PaddedInput.forConvolution(g, data.input(), IntPair.of(1), runner);
        Layout layout = Layout.of(g, kernel.tileColumns(), runner.threads());
        int tasks = g.batch() * g.groups() * layout.blocks();
        runner.forEach(tasks, task -> new Task(g, data, kernel, filters, padded, layout, task).run());
    }

    /** What the filter transforms depend on besides the weight itself. */
    private record FilterKey(int outChannels, int inChannels, int groups) {}

    /**
     * How the tiles are cut into tasks: {@code tilesHigh x tilesWide} tiles per image, {@code perTask} to a task
     * (padded to {@code width}, a multiple of the micro-kernel's tile), {@code blocks} tasks per image and group.
     */
    private record Layout(int tilesHigh, int tilesWide, int perTask, int width, int blocks) {

        static Layout of(Conv2dGeometry g, int tileColumns, int threads) {
            int tilesHigh = ImplicitGemm.ceilDiv(g.outHeight(), OUT);
            int tilesWide = ImplicitGemm.ceilDiv(g.outWidth(), OUT);
            int tiles = tilesHigh * tilesWide;
            int byBudget = Math.max(tileColumns, PATCH_BUDGET_FLOATS / (POINTS * g.inChannelsPerGroup()));
            // Enough tasks for two per thread where the image allows, so a small layer still keeps every core busy.
            int wantedPerImage = ImplicitGemm.ceilDiv(2 * threads, g.batch() * g.groups());
            int perTask = Math.min(Math.min(byBudget, tiles), ImplicitGemm.ceilDiv(tiles, wantedPerImage));
            perTask = Math.max(1, perTask);
            int width = ImplicitGemm.ceilDiv(perTask, tileColumns) * tileColumns;
            return new Layout(tilesHigh, tilesWide, perTask, width, ImplicitGemm.ceilDiv(tiles, perTask));
        }
    }

    /**
     * {@code U = G g Gt} for every (group, output channel, input channel), laid out [group][point][out][in], so at each
     * point the group's weights are a row-major matrix for the micro-kernel; G has rows (1, 0, 0), (1/2, 1/2, 1/2),
     * (1/2, -1/2, 1/2), (0, 0, 1).
     */
    private static float[] transformFilters(ConvSizes sizes, float[] weight) {
        int outPer = sizes.outChannelsPerGroup();
        int inPer = sizes.inChannelsPerGroup();
        float[] filters = new float[sizes.groups() * POINTS * outPer * inPer];
        float[] rows = new float[PATCH * 3];
        for (int group = 0; group < sizes.groups(); group++) {
            for (int out = 0; out < outPer; out++) {
                for (int in = 0; in < inPer; in++) {
                    int source = ((group * outPer + out) * inPer + in) * 9;
                    for (int column = 0; column < 3; column++) {
                        float g0 = weight[source + column];
                        float g1 = weight[source + 3 + column];
                        float g2 = weight[source + 6 + column];
                        rows[column] = g0;
                        rows[3 + column] = 0.5f * (g0 + g1 + g2);
                        rows[6 + column] = 0.5f * (g0 - g1 + g2);
                        rows[9 + column] = g2;
                    }
                    for (int row = 0; row < PATCH; row++) {
                        float t0 = rows[row * 3];
                        float t1 = rows[row * 3 + 1];
                        float t2 = rows[row * 3 + 2];
                        float[] point = {t0, 0.5f * (t0 + t1 + t2), 0.5f * (t0 - t1 + t2), t2};
                        for (int column = 0; column < PATCH; column++) {
                            int p = row * PATCH + column;
                            filters[((group * POINTS + p) * outPer + out) * inPer + in] = point[column];
                        }
                    }
                }
            }
        }
        return filters;
    }

    /** One task: a run of tiles of one image and group, through the three steps. */
    private static final class Task {
        private final Conv2dGeometry g;
        private final Operands data;
        private final MicroKernel kernel;
        private final float[] filters;
        private final PaddedInput padded;
        private final Layout layout;
        private final int image;
        private final int group;
        private final int firstTile;
        private final int tiles;

        Task(
                Conv2dGeometry g,
                Operands data,
                MicroKernel kernel,
                float[] filters,
                PaddedInput padded,
                Layout layout,
                int task) {
            this.g = g;
            this.data = data;
            this.kernel = kernel;
            this.filters = filters;
            this.padded = padded;
            this.layout = layout;
            int block = task % layout.blocks();
            int unit = task / layout.blocks();
            this.group = unit % g.groups();
            this.image = unit / g.groups();
            this.firstTile = block * layout.perTask();
            this.tiles = Math.min(layout.perTask(), layout.tilesHigh() * layout.tilesWide() - firstTile);
        }

        /**
         * Floats from one point's matrix to the next in the scratch blocks: the matrix, plus one cache line. The
         * transforms touch all 16 points of a tile at once; matrices a multiple of 4 KiB apart would put all 16
         * streams in one set of the L1 cache, whose 12 ways they then evict from each other (this made the input
         * transform three times slower on the 64-channel bench shape).
         */
        private int pointStride(int rows) {
            return rows * layout.width() + 16;
        }

        void run() {
            int inPer = g.inChannelsPerGroup();
            int outPer = g.outChannelsPerGroup();
            int width = layout.width();
            Scratch scratch = Scratch.current();
            float[] patches = scratch.floats(Scratch.Floats.PANEL, POINTS * pointStride(inPer));
            float[] products = scratch.floats(Scratch.Floats.SUMS, POINTS * pointStride(outPer));
            int[] rows = scratch.ints(Scratch.Ints.TAP_OFFSETS, inPer);
            for (int in = 0; in < inPer; in++) {
                rows[in] = in * width;
            }
            int[] tileTable = scratch.ints(Scratch.Ints.PIXEL_OFFSETS, 3 * tiles);
            tabulateTiles(tileTable);
            transformPatches(patches, tileTable);
            Arrays.fill(products, 0, POINTS * pointStride(outPer), 0f);
            MicroKernel.Matrices matrices = new MicroKernel.Matrices(filters, inPer, patches, rows, products, width);
            for (int point = 0; point < POINTS; point++) {
                int aPoint = (group * POINTS + point) * outPer * inPer;
                int bPoint = point * pointStride(inPer);
                int cPoint = point * pointStride(outPer);
                for (int column = 0; column < tiles; column += kernel.tileColumns()) {
                    for (int out = 0; out < outPer; out += MicroKernel.TILE_ROWS) {
                        kernel.multiplyTile(
                                matrices,
                                aPoint + out * inPer,
                                Math.min(MicroKernel.TILE_ROWS, outPer - out),
                                bPoint + column,
                                0,
                                inPer,
                                cPoint + out * width + column);
                    }
                }
            }
            transformOutputs(products, tileTable);
        }

        /** Marks a tile whose patch is not wholly inside the padded input, in the first third of the tile table. */
        private static final int EDGE = -1;
        /** In the last third of the tile table: the tile's right column, and its bottom row, are outputs. */
        private static final int HAS_RIGHT = 1;

        private static final int HAS_BOTTOM = 2;

        /**
         * For each of the task's tiles, worked out once rather than per channel (an integer division per tile and
         * channel cost more than the transform): where its patch starts in a padded plane (or {@link #EDGE}), where
         * its outputs start in an output plane, and which of its outputs exist.
         */
        private void tabulateTiles(int[] table) {
            int pitch = padded.pitch();
            int top = firstTile / layout.tilesWide() * OUT;
            int left = firstTile % layout.tilesWide() * OUT;
            for (int j = 0; j < tiles; j++) {
                boolean inside = top + PATCH <= padded.height() && left + PATCH <= pitch;
                table[j] = inside ? top * pitch + left : EDGE;
                table[tiles + j] = top * g.outWidth() + left;
                table[2 * tiles + j] =
                        (left + 1 < g.outWidth() ? HAS_RIGHT : 0) | (top + 1 < g.outHeight() ? HAS_BOTTOM : 0);
                left += OUT;
                if (left >= layout.tilesWide() * OUT) {
                    left = 0;
                    top += OUT;
                }
            }
        }

        /**
         * {@code V = Bt d B} of every tile's 4x4 patch for every input channel of the group, into
         * {@code patches[point][in][tile]}; Bt has rows (1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1).
         * Written out in scalars, which C2 keeps in registers. A patch of the last tile row or column of an
         * odd-sized output reaches one past the padded input there; that position reads zero, and feeds only outputs
         * that are not stored.
         */
        private void transformPatches(float[] patches, int[] tileTable) {
            int inPer = g.inChannelsPerGroup();
            int width = layout.width();
            int pitch = padded.pitch();
            int step = pointStride(inPer);
            float[] source = padded.data();
            float[] edge = new float[POINTS];
            for (int in = 0; in < inPer; in++) {
                int plane = (image * g.inChannels() + group * inPer + in) * padded.plane();
                for (int j = 0; j < tiles; j++) {
                    float[] d = source;
                    int at = plane + tileTable[j];
                    int rowPitch = pitch;
                    if (tileTable[j] == EDGE) {
                        int tile = firstTile + j;
                        int top = tile / layout.tilesWide() * OUT;
                        int left = tile % layout.tilesWide() * OUT;
                        for (int row = 0; row < PATCH; row++) {
                            for (int column = 0; column < PATCH; column++) {
                                boolean inside = top + row < padded.height() && left + column < pitch;
                                edge[row * PATCH + column] =
                                        inside ? source[plane + (top + row) * pitch + left + column] : 0f;
                            }
                        }
                        d = edge;
                        at = 0;
                        rowPitch = PATCH;
                    }
                    int r1 = at + rowPitch;
                    int r2 = r1 + rowPitch;
                    int r3 = r2 + rowPitch;
                    // t = Bt d, column by column.
                    float t00 = d[at] - d[r2];
                    float t01 = d[at + 1] - d[r2 + 1];
                    float t02 = d[at + 2] - d[r2 + 2];
                    float t03 = d[at + 3] - d[r2 + 3];
                    float t10 = d[r1] + d[r2];
                    float t11 = d[r1 + 1] + d[r2 + 1];
                    float t12 = d[r1 + 2] + d[r2 + 2];
                    float t13 = d[r1 + 3] + d[r2 + 3];
                    float t20 = d[r2] - d[r1];
                    float t21 = d[r2 + 1] - d[r1 + 1];
                    float t22 = d[r2 + 2] - d[r1 + 2];
                    float t23 = d[r2 + 3] - d[r1 + 3];
                    float t30 = d[r1] - d[r3];
                    float t31 = d[r1 + 1] - d[r3 + 1];
                    float t32 = d[r1 + 2] - d[r3 + 2];
                    float t33 = d[r1 + 3] - d[r3 + 3];
                    // V = t B, row by row, to points (row * 4 + column).
                    int v = in * width + j;
                    storeTransformedRow(patches, v, step, t00, t01, t02, t03);
                    storeTransformedRow(patches, v + 4 * step, step, t10, t11, t12, t13);
                    storeTransformedRow(patches, v + 8 * step, step, t20, t21, t22, t23);
                    storeTransformedRow(patches, v + 12 * step, step, t30, t31, t32, t33);
                }
            }
        }

        /** One row of {@code t B} (B's columns are Bt's rows) to four consecutive points, {@code step} apart. */
        private static void storeTransformedRow(
                float[] patches, int at, int step, float t0, float t1, float t2, float t3) {
            patches[at] = t0 - t2;
            patches[at + step] = t1 + t2;
            patches[at + 2 * step] = t2 - t1;
            patches[at + 3 * step] = t1 - t3;
        }

        /**
         * {@code Y = At M A} of every tile and output channel, plus the bias, through the activation, into the output;
         * At has rows (1, 1, 1, 0), (0, 1, -1, -1).
         */
        private void transformOutputs(float[] products, int[] tileTable) {
            int outPer = g.outChannelsPerGroup();
            int width = layout.width();
            int step = pointStride(outPer);
            float[] output = data.output();
            float[] bias = data.bias();
            Activation activation = g.activation();
            int outWidth = g.outWidth();
            for (int out = 0; out < outPer; out++) {
                int channel = group * outPer + out;
                float start = bias == null ? 0f : bias[channel];
                int plane = (image * g.outChannels() + channel) * g.outHeight() * outWidth;
                for (int j = 0; j < tiles; j++) {
                    int m = out * width + j;
                    // s = At M, column by column.
                    float m10 = products[m + 4 * step];
                    float m11 = products[m + 5 * step];
                    float m12 = products[m + 6 * step];
                    float m13 = products[m + 7 * step];
                    float m20 = products[m + 8 * step];
                    float m21 = products[m + 9 * step];
                    float m22 = products[m + 10 * step];
                    float m23 = products[m + 11 * step];
                    float s00 = products[m] + m10 + m20;
                    float s01 = products[m + step] + m11 + m21;
                    float s02 = products[m + 2 * step] + m12 + m22;
                    float s03 = products[m + 3 * step] + m13 + m23;
                    float s10 = m10 - m20 - products[m + 12 * step];
                    float s11 = m11 - m21 - products[m + 13 * step];
                    float s12 = m12 - m22 - products[m + 14 * step];
                    float s13 = m13 - m23 - products[m + 15 * step];
                    int at = plane + tileTable[tiles + j];
                    int exists = tileTable[2 * tiles + j];
                    boolean fullRow = (exists & HAS_RIGHT) != 0;
                    // Y = s A, row by row.
                    output[at] = activation.apply(start + (s00 + s01 + s02));
                    if (fullRow) {
                        output[at + 1] = activation.apply(start + (s01 - s02 - s03));
                    }
                    if ((exists & HAS_BOTTOM) != 0) {
                        output[at + outWidth] = activation.apply(start + (s10 + s11 + s12));
                        if (fullRow) {
                            output[at + outWidth + 1] = activation.apply(start + (s11 - s12 - s13));
                        }
                    }
                }
            }
        }
    }
}
