package dev.jconv.backend.java;

import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link GatherGemm} on the pool. A task owns one (group, pixel block, channel block): it gets its pixels' B
 * block, multiplies it by every weight row of its channel block, tile by tile, and writes each output element exactly
 * once (its sum starts from the bias; the activation is applied just before the store), so results do not depend on
 * how tasks are scheduled. B comes one of two ways, which give the same bits (each element's sum runs over k in the
 * same order): packed from the input through the source maps into a block whose pixels may span images, so small
 * images still fill a tile; or, where the grid advances one input pixel per output pixel, read in place from a
 * {@link PaddedInput} through one offset per kernel tap, with the pixels laid out on the padded row pitch (the few
 * positions past each grid row are computed and dropped). Packing copies each input element once per kernel tap,
 * which dominates when there are few output channels to share it. Several products (the phases of a transposed
 * convolution) can run as one parallel job, so a small layer pays for one fork and join, not one per phase.
 */
final class ImplicitGemm {

    /**
     * The sum runs in chunks of this many k so that a chunk of the weights (channels x chunk) and of the B block
     * (chunk x pixels) stay in the 2 MiB L2 cache together; chunking does not change any result (see MicroKernel).
     */
    private static final int DEPTH_CHUNK = 256;
    /** A chunk of the B block is sized to stay in L2 with room for the weights. */
    private static final int PANEL_BUDGET_FLOATS = 96 * 1024;

    private static final int MAX_PANEL_WIDTH = 512;

    /**
     * B read in place: the padded input, and per kernel tap (row-major over the taps) where grid position (0, 0)
     * reads it within a channel ({@link PaddedInput#tapOffset}); grid position (y, x) reads {@code y * pitch + x}
     * further on.
     */
    record InPlace(PaddedInput padded, int[] tapOffsets) {

        /** The taps of rows {@code rowShifts} by columns {@code columnShifts}, in padded coordinates. */
        static InPlace of(PaddedInput padded, int[] rowShifts, int[] columnShifts) {
            int[] offsets = new int[rowShifts.length * columnShifts.length];
            for (int row = 0; row < rowShifts.length; row++) {
                for (int column = 0; column < columnShifts.length; column++) {
                    offsets[row * columnShifts.length + column] =
                            padded.tapOffset(rowShifts[row], columnShifts[column]);
                }
            }
            return new InPlace(padded, offsets);
        }
    }

    private final GatherGemm problem;
    private final MicroKernel kernel;
    /** Null when B is read in place. */
    private final PanelPacker packer;
    /** Null when B is packed. */
    private final PaddedInput padded;
    /** Where B's row k starts, relative to the block's first pixel. */
    private final int[] bRows;
    /** Pixel positions per image: on the padded pitch when in place; when packed, all images' pixels as one run. */
    private final int span;

    private final int panelWidth;
    private final int blocksPerSpan;
    private final int pixelBlocks;
    private final int channelBlock;
    private final int channelBlocks;

    /**
     * @param inPlace     where B is read in place, or null to pack it
     * @param wantedTasks how many tasks this product should split into, where it can, to keep the pool busy
     */
    ImplicitGemm(GatherGemm problem, MicroKernel kernel, InPlace inPlace, int wantedTasks) {
        this.problem = problem;
        this.kernel = kernel;
        int depth = problem.depth();
        int spans;
        if (inPlace == null) {
            packer = new PanelPacker(problem);
            padded = null;
            span = problem.sizes().batch() * problem.pixels();
            spans = 1;
        } else {
            packer = null;
            padded = inPlace.padded();
            span = (problem.grid().height() - 1) * padded.pitch()
                    + problem.grid().width();
            spans = problem.sizes().batch();
        }
        panelWidth = panelWidth(
                Math.min(depth, DEPTH_CHUNK),
                span,
                kernel.tileColumns(),
                ceilDiv(wantedTasks, problem.sizes().groups() * spans));
        blocksPerSpan = ceilDiv(span, panelWidth);
        pixelBlocks = spans * blocksPerSpan;
        int channels = problem.sizes().outChannelsPerGroup();
        channelBlock = channelBlock(channels, problem.sizes().groups() * pixelBlocks, wantedTasks);
        channelBlocks = ceilDiv(channels, channelBlock);
        bRows = new int[depth];
        for (int k = 0; k < depth; k++) {
            bRows[k] = inPlace == null ? k * panelWidth : inPlaceRow(k, inPlace);
        }
    }

    /** Row k = (channel, row tap, column tap) of B in the padded input, relative to the block's first position. */
    private int inPlaceRow(int k, InPlace inPlace) {
        int taps = inPlace.tapOffsets().length;
        int tap = k % taps;
        return k / taps * padded.plane() + inPlace.tapOffsets()[tap];
    }

    /**
     * Runs every product as one parallel job; they must write disjoint output elements. Products that read B in place
     * from one padded input, one image at a time (the phases of a transposed convolution), run image by image: all
     * their tasks on image 0, then on image 1, so an image's padded planes are read by every phase while they are still
     * in cache rather than once per phase from memory. Within an image each product's tasks stay together, so the
     * tasks running at once are mostly of one phase and write disjoint rows.
     */
    static void runAll(List<ImplicitGemm> products, float[] input, float[] output, ParallelRunner runner) {
        int images = imageMajorImages(products);
        int[] firstTask = new int[products.size() + 1];
        for (int i = 0; i < products.size(); i++) {
            firstTask[i + 1] = firstTask[i] + products.get(i).tasks() / images;
        }
        int perImage = firstTask[products.size()];
        runner.forEach(images * perImage, task -> {
            int image = task / perImage;
            int local = task % perImage;
            int product = 0;
            while (local >= firstTask[product + 1]) {
                product++;
            }
            int perProductImage = firstTask[product + 1] - firstTask[product];
            products.get(product).runTask(image * perProductImage + local - firstTask[product], input, output);
        });
    }

    /**
     * How many images the job can be ordered by: the batch, when every product reads in place with one group (its
     * tasks are then numbered image by image), else 1.
     */
    private static int imageMajorImages(List<ImplicitGemm> products) {
        int images = products.get(0).problem.sizes().batch();
        for (ImplicitGemm product : products) {
            if (product.padded == null || product.problem.sizes().groups() != 1) {
                return 1;
            }
        }
        return images;
    }

    int tasks() {
        return problem.sizes().groups() * pixelBlocks * channelBlocks;
    }

    private void runTask(int task, float[] input, float[] output) {
        int unit = task / channelBlocks;
        int group = unit / pixelBlocks;
        int block = unit % pixelBlocks;
        int image = block / blocksPerSpan;
        int firstPixel = block % blocksPerSpan * panelWidth;
        int firstChannel = task % channelBlocks * channelBlock;
        block(
                input,
                output,
                group,
                image,
                firstPixel,
                Math.min(panelWidth, span - firstPixel),
                firstChannel,
                Math.min(problem.sizes().outChannelsPerGroup(), firstChannel + channelBlock));
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

    /**
     * One task: pixels [firstPixel, firstPixel + pixelCount) of the span (of image {@code image} when in place, of all
     * images when packed) times output channels [firstChannel, endChannel) of {@code group}.
     */
    private void block(
            float[] input,
            float[] output,
            int group,
            int image,
            int firstPixel,
            int pixelCount,
            int firstChannel,
            int endChannel) {
        GatherGemm p = problem;
        Scratch scratch = Scratch.current();
        int depth = p.depth();
        float[] b;
        int bOffset;
        if (packer != null) {
            b = scratch.floats(Scratch.Floats.PANEL, depth * panelWidth);
            packer.pack(input, group, firstPixel, pixelCount, b, panelWidth);
            bOffset = 0;
        } else {
            b = padded.data();
            bOffset = (image * p.sizes().inChannels() + group * p.sizes().inChannelsPerGroup()) * padded.plane()
                    + firstPixel;
        }
        float[] sums = scratch.floats(Scratch.Floats.SUMS, (endChannel - firstChannel) * panelWidth);
        for (int channel = firstChannel; channel < endChannel; channel++) {
            float bias = p.bias() == null ? 0f : p.bias()[group * p.sizes().outChannelsPerGroup() + channel];
            int sumRow = (channel - firstChannel) * panelWidth;
            Arrays.fill(sums, sumRow, sumRow + panelWidth, bias);
        }
        int weightOffset = p.weightsOffset() + (group * p.sizes().outChannelsPerGroup() + firstChannel) * depth;
        MicroKernel.Matrices matrices = new MicroKernel.Matrices(p.weights(), depth, b, bRows, sums, panelWidth);
        for (int chunk = 0; chunk < Math.max(depth, 1); chunk += DEPTH_CHUNK) {
            int chunkDepth = Math.min(DEPTH_CHUNK, depth - chunk);
            for (int column = 0; column < pixelCount; column += kernel.tileColumns()) {
                for (int channel = 0; channel < endChannel - firstChannel; channel += MicroKernel.TILE_ROWS) {
                    int rows = Math.min(MicroKernel.TILE_ROWS, endChannel - firstChannel - channel);
                    kernel.multiplyTile(
                            matrices,
                            weightOffset + channel * depth + chunk,
                            rows,
                            bOffset + column,
                            chunk,
                            chunkDepth,
                            channel * panelWidth + column);
                }
            }
        }
        int[] pixelOffsets = scratch.ints(Scratch.Ints.PIXEL_OFFSETS, pixelCount);
        if (packer != null) {
            outputOffsets(p, firstPixel, pixelCount, pixelOffsets);
        } else {
            inPlaceOutputOffsets(image, firstPixel, pixelCount, pixelOffsets);
        }
        for (int channel = firstChannel; channel < endChannel; channel++) {
            int planeOffset = (group * p.sizes().outChannelsPerGroup() + channel) * p.outputPlane();
            int sumRow = (channel - firstChannel) * panelWidth;
            p.activation().applyInPlace(sums, sumRow, sumRow + pixelCount);
            for (int j = 0; j < pixelCount; j++) {
                if (pixelOffsets[j] != DROPPED) {
                    output[planeOffset + pixelOffsets[j]] = sums[sumRow + j];
                }
            }
        }
    }

    /** Marks a position on the padded pitch past the end of its grid row, whose result is not stored. */
    private static final int DROPPED = -1;

    /**
     * Where each of {@code count} positions from {@code firstPosition} on image {@code image}'s padded pitch lands in
     * the output, relative to the image's channel 0, or {@link #DROPPED}.
     */
    private void inPlaceOutputOffsets(int image, int firstPosition, int count, int[] offsets) {
        GatherGemm.OutputGrid grid = problem.grid();
        int pitch = padded.pitch();
        int imageOffset = image * problem.sizes().outChannels() * problem.outputPlane() + grid.start();
        int y = firstPosition / pitch;
        int x = firstPosition % pitch;
        for (int j = 0; j < count; j++) {
            offsets[j] = x < grid.width() ? imageOffset + y * grid.rowStride() + x * grid.columnStride() : DROPPED;
            if (++x == pitch) {
                x = 0;
                y++;
            }
        }
    }

    /**
     * Where each of {@code count} pixels from {@code firstPixel} (counted across images) lands in the output,
     * relative to its image's channel 0.
     */
    private static void outputOffsets(GatherGemm p, int firstPixel, int count, int[] offsets) {
        GatherGemm.OutputGrid grid = p.grid();
        int imagePixels = p.pixels();
        int imageSize = p.sizes().outChannels() * p.outputPlane();
        int image = firstPixel / imagePixels;
        int pixel = firstPixel % imagePixels;
        int y = pixel / grid.width();
        int x = pixel % grid.width();
        int imageOffset = image * imageSize;
        for (int j = 0; j < count; j++) {
            offsets[j] = imageOffset + grid.start() + y * grid.rowStride() + x * grid.columnStride();
            if (++x == grid.width()) {
                x = 0;
                if (++y == grid.height()) {
                    y = 0;
                    imageOffset += imageSize;
                }
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
