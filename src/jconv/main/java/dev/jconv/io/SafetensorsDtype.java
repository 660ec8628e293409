package dev.jconv.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types the safetensors format names, with their sizes. Integer types are listed so that a checkpoint
 * holding, say, BatchNorm's int64 {@code num_batches_tracked} opens; only the floating types convert to float32.
 */
enum SafetensorsDtype {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    F8_E5M2(1, true),
    F8_E4M3(1, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U64(8, false),
    U32(4, false),
    U16(2, false),
    U8(1, false),
    BOOL(1, false);

    /** Bytes per element; no dtype is wider than this, which the reader's mapped windows rely on. */
    static final int LARGEST_SIZE = 8;

    final int size;
    final boolean floating;

    SafetensorsDtype(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** The dtype spelled {@code name} in a header, or null when the format has no such dtype. */
    static SafetensorsDtype named(String name) {
        // The format's names are the constants' names, so the enum's own lookup serves.
        try {
            return valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Every dtype name, for messages. */
    static String allNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** The dtypes that convert to float32, for messages. */
    static String floatingNames() {
        return Arrays.stream(values()).filter(d -> d.floating).map(Enum::name).collect(Collectors.joining(", "));
    }
}
