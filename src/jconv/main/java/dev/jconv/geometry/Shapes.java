package dev.jconv.geometry;

import java.util.Arrays;

/** Shape helpers shared by the geometries and tensors: PyTorch-style printing and checked element counts. */
public final class Shapes {

    private Shapes() {}

    /** {@code shape} with its first dimension (the batch) set to {@code images}: the shape of one slice of a batch. */
    public static int[] withBatch(int[] shape, int images) {
        int[] slice = shape.clone();
        slice[0] = images;
        return slice;
    }

    /** PyTorch's way of printing a size: {@code [1, 3, 16, 16]}. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The number of elements, checked to fit a Java array: a shape whose product overflows is a clear error, never a
     * wrapped-around count.
     */
    public static int elementCount(int[] shape) {
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension " + dim + " in shape " + format(shape));
            }
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more elements than a Java array"
                        + " can hold (" + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        return (int) count;
    }
}
