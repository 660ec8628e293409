package dev.jconv.backend.opencl;

import dev.jconv.DeviceType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Tile sizes for one kind of device, CLBlast-style: the kernels read them as defines, and they live in this one table
 * instead of as literals in the code.
 *
 * @param maxOutChannelTile the most output channels one Conv2d work-item accumulates (register tile height)
 * @param maxTransposedOutChannelTile the same for ConvTranspose2d, tuned separately
 * @param maxVectorWidth    the most consecutive output pixels one work-item computes as a vector (4, 8 or 16)
 * @param maxWorkGroupSize  the most work-items in one work-group
 * @param workGroupLimits   the most work-items per NDRange dimension in one work-group (channel tiles, row
 *                          vectors, rows)
 * @param minWorkPerItem    vector multiply-adds below which a work-item takes several output rows, since each
 *                          work-item has a fixed cost (large on CPU drivers, which loop over work-items)
 */
record Tuning(int maxOutChannelTile, int maxTransposedOutChannelTile, int maxVectorWidth, int maxWorkGroupSize,
              long[] workGroupLimits, long minWorkPerItem) {

    private static final Map<DeviceType, Tuning> TABLE = new EnumMap<>(DeviceType.class);

    static {
        // PoCL on AVX-512 CPUs: 16-lane vectors fill a zmm register; 16 channel accumulators plus inputs stay within
        // the 32 vector registers and halve the loads per multiply-add against 8 (interleaved A/B on the quiet 2-core
        // machine: resnet3x3 kernel -33%, pointwise1x1 -27%, strided7x7 -10%); 32 spills and runs twice as slow.
        // ConvTranspose2d stays at 8: 16 made dcgan_T1 1.4x and convT3x3_s2_op1 1.9x slower (fewer work-items).
        // Work-groups of 8 along dimension 0 beat 1 and 64 in timing runs, and 2, 16 and (4, 4) with the
        // 16-channel tiles (within noise: the machine's speed drifts by 30% over minutes, so compare interleaved).
        TABLE.put(DeviceType.CPU, new Tuning(16, 8, 16, 64, new long[] {8, 1, 1}, 256));
        // GPUs vectorise across work-items, so narrower per-item vectors keep register pressure low. Not yet
        // measured on real GPUs: a safe starting point.
        TABLE.put(DeviceType.GPU, new Tuning(4, 4, 4, 256, new long[] {64, 64, 4}, 1));
    }

    private static final Tuning DEFAULT = new Tuning(4, 4, 8, 64, new long[] {64, 1, 1}, 64);

    static Tuning forType(DeviceType type) {
        return TABLE.getOrDefault(type, DEFAULT);
    }
}
