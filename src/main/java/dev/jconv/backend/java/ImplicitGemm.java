package dev.jconv.backend.java;

import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link GatherGemm} on the pool. A task owns one (group, pixel block, channel block), where pixel blocks run
 * across image boundaries so small images still fill a tile: it packs its pixels' B block once, multiplies it by every
 * weight row of its channel block, tile by tile, and writes each output element exactly once (its sum starts from the
 * bias; the activation is applied just before the store), so results do not depend on how tasks are scheduled.
 * Several products (the phases of a transposed convolution) can run as one parallel job, so a small layer pays for
 * one fork and join, not one per phase.
 */
final class ImplicitGemm {

    /**
     * The sum runs in chunks of this many k so that a chunk of the weights (channels x chunk) and of the packed block
     * (chunk x pixels) stay in the 2 MiB L2 cache together; chunking does not change any result (see MicroKernel).
     */
    private static final int DEPTH_CHUNK = 256;
    /** A chunk of the packed block is sized to stay in L2 with room for the weights. */
    private static final int PANEL_BUDGET_FLOATS = 96 * 1024;
    private static final int MAX_PANEL_WIDTH = 512;

    private final GatherGemm problem;
    private final MicroKernel kernel;
    private final PanelPacker packer;
    private final int pixels;
    private final int panelWidth;
    private final int pixelBlocks;
    private final int channelBlock;
    private final int channelBlocks;

    /**
     * @param wantedTasks how many tasks this product should split into, where it can, to keep the pool busy
     */
    ImplicitGemm(GatherGemm problem, MicroKernel kernel, int wantedTasks) {
        this.problem = problem;
        this.kernel = kernel;
        this.packer = new PanelPacker(problem);
        this.pixels = problem.batch() * problem.pixels();
        this.panelWidth = panelWidth(Math.min(problem.depth(), DEPTH_CHUNK), pixels, kernel.tileColumns(),
                ceilDiv(wantedTasks, problem.groups()));
        this.pixelBlocks = ceilDiv(pixels, panelWidth);
        int channels = problem.outChannelsPerGroup();
        this.channelBlock = channelBlock(channels, problem.groups() * pixelBlocks, wantedTasks);
        this.channelBlocks = ceilDiv(channels, channelBlock);
    }

    static void run(GatherGemm problem, float[] input, float[] output, MicroKernel kernel, ParallelRunner runner) {
        runAll(List.of(new ImplicitGemm(problem, kernel, runner.threads())), input, output, runner);
    }

    /** Runs every product as one parallel job; they must write disjoint output elements. */
    static void runAll(List<ImplicitGemm> products, float[] input, float[] output, ParallelRunner runner) {
        int[] firstTask = new int[products.size() + 1];
        for (int i = 0; i < products.size(); i++) {
            firstTask[i + 1] = firstTask[i] + products.get(i).tasks();
        }
        runner.forEach(firstTask[products.size()], task -> {
            int product = 0;
            while (task >= firstTask[product + 1]) {
                product++;
            }
            products.get(product).runTask(task - firstTask[product], input, output);
        });
    }

    int tasks() {
        return problem.groups() * pixelBlocks * channelBlocks;
    }

    private void runTask(int task, float[] input, float[] output) {
        int unit = task / channelBlocks;
        int group = unit / pixelBlocks;
        int firstPixel = unit % pixelBlocks * panelWidth;
        int firstChannel = task % channelBlocks * channelBlock;
        block(problem, packer, input, output, kernel, group, firstPixel, Math.min(panelWidth, pixels - firstPixel),
                panelWidth, firstChannel, Math.min(problem.outChannelsPerGroup(), firstChannel + channelBlock));
    }

    /**
     * Pixels per task: a multiple of the tile width, as wide as the cache budget allows, never wider than needed, and
     * narrow enough that a small layer still gives every wanted task a block of its own: splitting pixels rather than
     * channels packs each input element once.
     */
    private static int panelWidth(int depth, int pixels, int tile, int wantedBlocks) {
        int byBudget = PANEL_BUDGET_FLOATS / Math.max(depth, 1) / tile * tile;
        int needed = ceilDiv(pixels, tile) * tile;
        int bySplit = ceilDiv(ceilDiv(pixels, Math.max(wantedBlocks, 1)), tile) * tile;
        return Math.max(tile, Math.min(Math.min(byBudget, MAX_PANEL_WIDTH), Math.min(needed, bySplit)));
    }

    /**
     * Output channels per task. Splitting channels repacks the same pixels once per split, so it is done only when
     * there are too few (image, group, pixel block) units to keep every thread busy.
     */
    private static int channelBlock(int channels, int units, int threads) {
        int wanted = ceilDiv(threads, units);
        if (wanted <= 1) {
            return channels;
        }
        int rows = MicroKernel.TILE_ROWS;
        return Math.max(rows, ceilDiv(ceilDiv(channels, wanted), rows) * rows);
    }

    private static void block(GatherGemm p, PanelPacker packer, float[] input, float[] output, MicroKernel kernel,
                              int group, int firstPixel, int pixelCount, int panelWidth, int firstChannel,
                              int endChannel) {
        Scratch scratch = Scratch.current();
        int depth = p.depth();
        float[] panel = scratch.panel(depth * panelWidth);
        packer.pack(input, group, firstPixel, pixelCount, panel, panelWidth);
        float[] sums = scratch.sums((endChannel - firstChannel) * panelWidth);
        for (int channel = firstChannel; channel < endChannel; channel++) {
            float bias = p.bias() == null ? 0f : p.bias()[group * p.outChannelsPerGroup() + channel];
            int sumRow = (channel - firstChannel) * panelWidth;
            Arrays.fill(sums, sumRow, sumRow + panelWidth, bias);
        }
        int weightOffset = p.weightsOffset() + (group * p.outChannelsPerGroup() + firstChannel) * depth;
        for (int chunk = 0; chunk < Math.max(depth, 1); chunk += DEPTH_CHUNK) {
            int chunkDepth = Math.min(DEPTH_CHUNK, depth - chunk);
            for (int column = 0; column < pixelCount; column += kernel.tileColumns()) {
                for (int channel = 0; channel < endChannel - firstChannel; channel += MicroKernel.TILE_ROWS) {
                    int rows = Math.min(MicroKernel.TILE_ROWS, endChannel - firstChannel - channel);
                    kernel.multiplyTile(p.weights(), weightOffset + channel * depth + chunk, depth, rows, panel,
                            chunk * panelWidth + column, panelWidth, chunkDepth, sums, channel * panelWidth + column,
                            panelWidth);
                }
            }
        }
        int[] pixelOffsets = scratch.pixelOffsets(pixelCount);
        outputOffsets(p, firstPixel, pixelCount, pixelOffsets);
        for (int channel = firstChannel; channel < endChannel; channel++) {
            int planeOffset = (group * p.outChannelsPerGroup() + channel) * p.outputPlane();
            int sumRow = (channel - firstChannel) * panelWidth;
            p.activation().applyInPlace(sums, sumRow, sumRow + pixelCount);
            for (int j = 0; j < pixelCount; j++) {
                output[planeOffset + pixelOffsets[j]] = sums[sumRow + j];
            }
        }
    }

    /**
     * Where each of {@code count} pixels from {@code firstPixel} (counted across images) lands in the output,
     * relative to its image's channel 0.
     */
    private static void outputOffsets(GatherGemm p, int firstPixel, int count, int[] offsets) {
        int imagePixels = p.pixels();
        int image = firstPixel / imagePixels;
        int pixel = firstPixel % imagePixels;
        int y = pixel / p.gridWidth();
        int x = pixel % p.gridWidth();
        int imageOffset = image * p.outChannels() * p.outputPlane();
        for (int j = 0; j < count; j++) {
            offsets[j] = imageOffset + p.outputStart() + y * p.outputRowStride() + x * p.outputColumnStride();
            if (++x == p.gridWidth()) {
                x = 0;
                if (++y == p.gridHeight()) {
                    y = 0;
                    imageOffset += p.outChannels() * p.outputPlane();
                }
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
