package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tile sizes for one kind of device, CLBlast-style: the kernels read them as defines, and they live in this one table
 * instead of as literals in the code.
 *
 * <p>A device uses its own type's row unless the system property {@value #PROPERTY} or the environment variable
 * {@value #ENVIRONMENT} names another type ({@code cpu}, {@code gpu}, {@code accelerator} or {@code other}; the last
 * two share the generic row). This exists for checking the kernels, not for speed: Oclgrind reports itself as a GPU,
 * and only the CPU row reaches conv2d_row_pairs, conv2d_pointwise and 8- and 16-lane vectors (ci/oclgrind.sh).
 *
 * @param maxOutChannelTile the most output channels one Conv2d work-item accumulates (register tile height)
 * @param maxTransposedOutChannelTile the same for ConvTranspose2d, tuned separately
 * @param maxVectorWidth    the most consecutive output pixels one work-item computes as a vector (4, 8 or 16)
 * @param maxWorkGroupSize  the most work-items in one work-group
 * @param workGroupLimits   the most work-items per NDRange dimension in one work-group (channel tiles, row
 *                          vectors, rows)
 * @param minWorkPerItem    vector multiply-adds below which a work-item takes several output rows, since each
 *                          work-item has a fixed cost (large on CPU drivers, which loop over work-items)
 * @param jointVectors      pixel vectors a work-item computes together, sharing each weight load (see
 *                          {@link DirectParameters#jointVectors})
 * @param channelVectors    0 for the pixel-vector kernels; else the vectors of output channels one work-item of the
 *                          channel-vector kernels computes (see {@link DirectParameters#channelVectors})
 * @param pixelsPerItem     the output pixels one work-item of the channel-vector kernels computes
 */
record Tuning(
        int maxOutChannelTile,
        int maxTransposedOutChannelTile,
        int maxVectorWidth,
        int maxWorkGroupSize,
        long[] workGroupLimits,
        long minWorkPerItem,
        int jointVectors,
        int channelVectors,
        int pixelsPerItem) {

    static final String PROPERTY = "jconv.tuning";
    static final String ENVIRONMENT = "JCONV_TUNING";
    private static final Logger LOG = LoggerFactory.getLogger(Tuning.class);

    private static final Map<DeviceType, Tuning> TABLE = new EnumMap<>(DeviceType.class);

    static {
        // PoCL on AVX-512 CPUs: 16-lane vectors fill a zmm register; 16 channel accumulators plus inputs stay within
        // the 32 vector registers and halve the loads per multiply-add against 8 (interleaved A/B on the quiet 2-core
        // machine: resnet3x3 kernel -33%, pointwise1x1 -27%, strided7x7 -10%); 32 spills and runs twice as slow.
        // ConvTranspose2d stays at 8: 16 made dcgan_T1 1.4x and convT3x3_s2_op1 1.9x slower (fewer work-items).
        // Work-groups of 8 along dimension 0 beat 1 and 64 in timing runs, and 2, 16 and (4, 4) with the
        // 16-channel tiles (within noise: the machine's speed drifts by 30% over minutes, so compare interleaved).
        TABLE.put(DeviceType.CPU, new Tuning(16, 8, 16, 64, new long[] {8, 1, 1}, 256, 2, 0, 4));
        // GPUs vectorise across work-items, so narrower per-item vectors keep register pressure low. Not yet
        // measured on real GPUs: a safe starting point.
        TABLE.put(DeviceType.GPU, new Tuning(4, 4, 4, 256, new long[] {64, 64, 4}, 1, 1, 0, 4));
    }

    private static final Tuning DEFAULT = new Tuning(4, 4, 8, 64, new long[] {64, 1, 1}, 64, 1, 0, 4);

    static Tuning forType(DeviceType type) {
        return TABLE.getOrDefault(type, DEFAULT);
    }

    /**
     * The row {@code info}'s device uses: its type's, or the one {@value #PROPERTY} / {@value #ENVIRONMENT} names
     * (logged once per backend).
     *
     * @throws IllegalArgumentException naming the setting when it names no device type with a row
     */
    static Tuning forDevice(DeviceInfo info) {
        DeviceType row = rowType(info.type(), System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
        if (row != info.type()) {
            LOG.info(
                    "{}: direct kernels use the tuning row of {} devices ({} / {})",
                    info.id(),
                    row,
                    PROPERTY,
                    ENVIRONMENT);
        }
        return forType(row);
    }

    /** The type whose row to use: the system property's value, else the environment variable's, else {@code own}. */
    static DeviceType rowType(DeviceType own, String property, String environment) {
        Setting setting = Setting.choose(PROPERTY, property, ENVIRONMENT, environment);
        if (setting == null) {
            return own;
        }
        String wanted = setting.value().trim().toUpperCase(Locale.ROOT);
        for (DeviceType type : DeviceType.values()) {
            if (type != DeviceType.JAVA && type.name().equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                setting.source() + " must be cpu, gpu, accelerator or other, but got '" + setting.value() + "'");
    }
}
