package dev.jconv.backend.opencl;

import dev.jconv.PaddingMode;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a tuning result was measured on: the op and the sizes that decide which kernel parameters win. Results are
 * reused for the nearest key of the same structure (op, kernel, stride, dilation, padding mode, depthwise or not),
 * so a layer seen at a new image size still gets its tuned parameters.
 *
 * @param padding Conv2d: top, bottom, left, right; ConvTranspose2d: height, width, output padding h, w
 */
record TuningKey(
        String op,
        int batch,
        int inChannels,
        int inHeight,
        int inWidth,
        int outChannels,
        int groups,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int dilationHeight,
        int dilationWidth,
        int[] padding,
        int paddingMode) {

    static final String CONV2D = "conv2d";
    static final String CONV_TRANSPOSE2D = "conv_transpose2d";
    private static final String[] FIELDS = {
        "batch",
        "in_channels",
        "in_height",
        "in_width",
        "out_channels",
        "groups",
        "kernel_height",
        "kernel_width",
        "stride_height",
        "stride_width",
        "dilation_height",
        "dilation_width",
        "padding_mode"
    };

    static TuningKey of(Conv2dGeometry g) {
        return of(
                CONV2D,
                g,
                new int[] {
                    g.padding().top(),
                    g.padding().bottom(),
                    g.padding().left(),
                    g.padding().right()
                },
                g.paddingMode());
    }

    static TuningKey of(ConvTranspose2dGeometry g) {
        int[] padding = {
            g.padding().height(),
            g.padding().width(),
            g.outputPadding().height(),
            g.outputPadding().width()
        };
        return of(CONV_TRANSPOSE2D, g, padding, PaddingMode.ZEROS);
    }

    private static TuningKey of(String op, ConvGeometry g, int[] padding, PaddingMode mode) {
        int[] values = {
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
        return fromValues(op, values, padding);
    }

    /** A key from its integers in {@link #FIELDS} order. */
    private static TuningKey fromValues(String op, int[] values, int[] padding) {
        return new TuningKey(
                op,
                values[0],
                values[1],
                values[2],
                values[3],
                values[4],
                values[5],
                values[6],
                values[7],
                values[8],
                values[9],
                values[10],
                values[11],
                padding,
                values[12]);
    }

    /** True when a result measured on {@code other} is a fair guess for this key: same structure, any sizes. */
    boolean sameStructure(TuningKey other) {
        return op.equals(other.op)
                && kernelHeight == other.kernelHeight
                && kernelWidth == other.kernelWidth
                && strideHeight == other.strideHeight
                && strideWidth == other.strideWidth
                && dilationHeight == other.dilationHeight
                && dilationWidth == other.dilationWidth
                && paddingMode == other.paddingMode
                && depthwise() == other.depthwise();
    }

    /** How far apart two keys of the same structure are: summed log-ratios of the GEMM's three sizes. */
    double distance(TuningKey other) {
        return Math.abs(Math.log((double) pixels() / other.pixels()))
                + Math.abs(Math.log((double) inChannels / groups / ((double) other.inChannels / other.groups)))
                + Math.abs(Math.log((double) outChannels / groups / ((double) other.outChannels / other.groups)))
                + (java.util.Arrays.equals(padding, other.padding) ? 0 : 0.01);
    }

    private long pixels() {
        return (long) batch * inHeight * inWidth;
    }

    /** One input and one output channel per group. */
    boolean depthwise() {
        return groups > 1 && groups == inChannels && groups == outChannels;
    }

    /** The key as the tuning file stores it. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("op", op);
        int[] values = values();
        for (int index = 0; index < FIELDS.length; index++) {
            map.put(FIELDS[index], values[index]);
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
        int[] values = new int[FIELDS.length];
        for (int index = 0; index < FIELDS.length; index++) {
            values[index] = integer(map.get(FIELDS[index]), FIELDS[index]);
        }
        if (!(map.get("padding") instanceof java.util.List<?> list) || list.size() != 4) {
            throw new IllegalArgumentException("padding must be a list of 4 integers, but got " + map.get("padding"));
        }
        int[] padding = new int[4];
        for (int index = 0; index < 4; index++) {
            padding[index] = integer(list.get(index), "padding");
        }
        return fromValues((String) op, values, padding);
    }

    private static int integer(Object value, String field) {
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
        }
        throw new IllegalArgumentException(field + " must be an integer, but got " + value);
    }

    private int[] values() {
        return new int[] {
            batch,
            inChannels,
            inHeight,
            inWidth,
            outChannels,
            groups,
            kernelHeight,
            kernelWidth,
            strideHeight,
            strideWidth,
            dilationHeight,
            dilationWidth,
            paddingMode
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TuningKey key
                && key.op.equals(op)
                && java.util.Arrays.equals(key.values(), values())
                && java.util.Arrays.equals(key.padding, padding);
    }

    @Override
    public int hashCode() {
        return op.hashCode() * 31 + java.util.Arrays.hashCode(values()) * 17 + java.util.Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return op + " [" + batch + ", " + inChannels + ", " + inHeight + ", " + inWidth + "] -> " + outChannels
                + " channels, kernel " + kernelHeight + "x" + kernelWidth + ", stride " + strideHeight + "x"
                + strideWidth + ", groups " + groups;
    }
}
