package dev.jconv.backend.opencl;

import dev.jconv.IntPair;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import dev.jconv.geometry.SidePadding;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tuning result was measured on: the op and the sizes that decide which kernel parameters win. Results are
 * reused for the nearest key of the same structure (op, kernel, stride, dilation, padding mode, depthwise or not),
 * so a layer seen at a new image size still gets its tuned parameters.
 *
 * @param sizes   the values of {@link Field}, in its order
 * @param padding Conv2d: top, bottom, left, right; ConvTranspose2d: height, width, output padding h, w
 */
record TuningKey(String op, int[] sizes, int[] padding) {

    static final String CONV2D = "conv2d";
    static final String CONV_TRANSPOSE2D = "conv_transpose2d";

    /** The sizes a key holds, each with its name in the tuning file. */
    enum Field {
        BATCH("batch"),
        IN_CHANNELS("in_channels"),
        IN_HEIGHT("in_height"),
        IN_WIDTH("in_width"),
        OUT_CHANNELS("out_channels"),
        GROUPS("groups"),
        KERNEL_HEIGHT("kernel_height"),
        KERNEL_WIDTH("kernel_width"),
        STRIDE_HEIGHT("stride_height"),
        STRIDE_WIDTH("stride_width"),
        DILATION_HEIGHT("dilation_height"),
        DILATION_WIDTH("dilation_width"),
        PADDING_MODE("padding_mode");

        private final String jsonName;

        Field(String jsonName) {
            this.jsonName = jsonName;
        }
    }

    /** The fields whose values must match for one key's result to stand in for another's. */
    private static final Set<Field> STRUCTURE = EnumSet.of(
            Field.KERNEL_HEIGHT,
            Field.KERNEL_WIDTH,
            Field.STRIDE_HEIGHT,
            Field.STRIDE_WIDTH,
            Field.DILATION_HEIGHT,
            Field.DILATION_WIDTH,
            Field.PADDING_MODE);

    TuningKey {
        if (sizes.length != Field.values().length || padding.length != 4) {
            throw new IllegalArgumentException("a tuning key has " + Field.values().length + " sizes and 4 paddings");
        }
        sizes = sizes.clone();
        padding = padding.clone();
    }

    /** The key of either convolution's geometry. */
    static TuningKey of(ConvGeometry g) {
        return g instanceof Conv2dGeometry conv ? of(conv) : of((ConvTranspose2dGeometry) g);
    }

    static TuningKey of(Conv2dGeometry g) {
        SidePadding sides = g.padding();
        return of(CONV2D, g, g.paddingMode(), sides.top(), sides.bottom(), sides.left(), sides.right());
    }

    static TuningKey of(ConvTranspose2dGeometry g) {
        IntPair padding = g.padding();
        IntPair extra = g.outputPadding();
        return of(
                CONV_TRANSPOSE2D,
                g,
                PaddingMode.ZEROS,
                padding.height(),
                padding.width(),
                extra.height(),
                extra.width());
    }

    private static TuningKey of(String op, ConvGeometry g, PaddingMode mode, int... padding) {
        int[] sizes = {
            g.batch(),
            g.inChannels(),
            g.inHeight(),
            g.inWidth(),
            g.outChannels(),
            g.groups(),
            g.kernelHeight(),
            g.kernelWidth(),
            g.strideHeight(),
            g.strideWidth(),
            g.dilationHeight(),
            g.dilationWidth(),
            mode.ordinal()
        };
        return new TuningKey(op, sizes, padding);
    }

    int get(Field field) {
        return sizes[field.ordinal()];
    }

    /** True when a result measured on {@code other} is a fair guess for this key: same structure, any sizes. */
    boolean sameStructure(TuningKey other) {
        return op.equals(other.op)
                && STRUCTURE.stream().allMatch(field -> get(field) == other.get(field))
                && depthwise() == other.depthwise();
    }

    /** How far apart two keys of the same structure are: summed log-ratios of the GEMM's three sizes. */
    double distance(TuningKey other) {
        return Math.abs(Math.log((double) pixels() / other.pixels()))
                + Math.abs(Math.log(perGroup(Field.IN_CHANNELS) / other.perGroup(Field.IN_CHANNELS)))
                + Math.abs(Math.log(perGroup(Field.OUT_CHANNELS) / other.perGroup(Field.OUT_CHANNELS)))
                + (Arrays.equals(padding, other.padding) ? 0 : 0.01);
    }

    private double perGroup(Field channels) {
        return (double) get(channels) / get(Field.GROUPS);
    }

    private long pixels() {
        return (long) get(Field.BATCH) * get(Field.IN_HEIGHT) * get(Field.IN_WIDTH);
    }

    /** One input and one output channel per group. */
    boolean depthwise() {
        int groups = get(Field.GROUPS);
        return groups > 1 && groups == get(Field.IN_CHANNELS) && groups == get(Field.OUT_CHANNELS);
    }

    /** The key as the tuning file stores it. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("op", op);
        for (Field field : Field.values()) {
            map.put(field.jsonName, get(field));
        }
        map.put("padding", padding.clone());
        return map;
    }

    /** The inverse of {@link #asMap}; a missing or mistyped field is an IllegalArgumentException naming it. */
    static TuningKey fromMap(Map<?, ?> map) {
        Object op = map.get("op");
        if (!CONV2D.equals(op) && !CONV_TRANSPOSE2D.equals(op)) {
            throw new IllegalArgumentException("op must be conv2d or conv_transpose2d, but got " + op);
        }
        int[] sizes = new int[Field.values().length];
        for (Field field : Field.values()) {
            sizes[field.ordinal()] = integer(map.get(field.jsonName), field.jsonName);
        }
        if (!(map.get("padding") instanceof List<?> list) || list.size() != 4) {
            throw new IllegalArgumentException("padding must be a list of 4 integers, but got " + map.get("padding"));
        }
        int[] padding = new int[4];
        for (int index = 0; index < 4; index++) {
            padding[index] = integer(list.get(index), "padding");
        }
        return new TuningKey((String) op, sizes, padding);
    }

    private static int integer(Object value, String field) {
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
        }
        throw new IllegalArgumentException(field + " must be an integer, but got " + value);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TuningKey key
                && key.op.equals(op)
                && Arrays.equals(key.sizes, sizes)
                && Arrays.equals(key.padding, padding);
    }

    @Override
    public int hashCode() {
        return op.hashCode() * 31 + Arrays.hashCode(sizes) * 17 + Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return op + " [" + get(Field.BATCH) + ", " + get(Field.IN_CHANNELS) + ", " + get(Field.IN_HEIGHT) + ", "
                + get(Field.IN_WIDTH) + "] -> " + get(Field.OUT_CHANNELS) + " channels, kernel "
                + get(Field.KERNEL_HEIGHT) + "x" + get(Field.KERNEL_WIDTH) + ", stride " + get(Field.STRIDE_HEIGHT)
                + "x" + get(Field.STRIDE_WIDTH) + ", groups " + get(Field.GROUPS);
    }
}
