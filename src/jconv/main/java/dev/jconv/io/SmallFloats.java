package dev.jconv.io;

/**
 * Widens the 16- and 8-bit floating-point formats that checkpoints store to float32. Java 17 has no
 * {@code Float.float16ToFloat} (it arrived in Java 20), so the bit layouts are decoded here. Every value of these
 * formats is exactly representable as a float32, so each conversion is exact.
 */
final class SmallFloats {

    private static final int FLOAT_SIGN = 0x8000_0000;
    private static final int FLOAT_INFINITY_BITS = 0x7f80_0000;
    private static final int QUIET_NAN_BITS = 0x7fc0_0000;

    private SmallFloats() {}

    /** IEEE 754 binary16 (PyTorch's float16): 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
    static float halfToFloat(short bits) {
        int half = bits & 0xffff;
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity or NaN; the NaN payload moves to the top of the float mantissa, as hardware conversions do.
            return Float.intBitsToFloat(sign | FLOAT_INFINITY_BITS | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa x 2^-24. The product is exact, and its sign is applied afterwards so that
            // a negative zero stays negative.
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** bfloat16: the top 16 bits of a float32, so widening is a shift. */
    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** float8 e5m2: the top 8 bits of a binary16, with binary16's infinities and NaNs. */
    static float e5m2ToFloat(byte bits) {
        return halfToFloat((short) ((bits & 0xff) << 8));
    }

    /**
     * float8 e4m3fn (PyTorch's {@code float8_e4m3fn}, safetensors' {@code F8_E4M3}): 1 sign, 4 exponent (bias 7),
     * 3 mantissa bits. It has no infinities; only S.1111.111 is NaN, so S.1111.110 is 448, the largest value.
     */
    static float e4m3ToFloat(byte bits) {
        int value = bits & 0xff;
        boolean negative = (value & 0x80) != 0;
        int exponent = (value >>> 3) & 0xf;
        int mantissa = value & 0x7;
        if (exponent == 0xf && mantissa == 0x7) {
            return Float.intBitsToFloat((negative ? FLOAT_SIGN : 0) | QUIET_NAN_BITS);
        }
        float magnitude = exponent == 0
                ? mantissa * 0x1p-9f
                : Float.intBitsToFloat(((exponent + 127 - 7) << 23) | (mantissa << 20));
        return negative ? -magnitude : magnitude;
    }
}
