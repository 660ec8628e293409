/*
 * Padding modes resolved in the index maths, shared by the Conv2d kernels (PAD_MODE is PaddingMode's ordinal).
 * Mirrors backend/java/PaddedIndex.java, so every backend reads the same input element for a padded coordinate.
 */

#define PAD_ZEROS 0
#define PAD_REFLECT 1
#define PAD_REPLICATE 2
#define PAD_CIRCULAR 3

/* The input coordinate that padded coordinate `index` reads, or -1 for zero padding (as PaddedIndex.source). */
inline int padded_source(int index, int size) {
    if (index >= 0 && index < size) {
        return index;
    }
#if PAD_MODE == PAD_REFLECT
    return index < 0 ? -index : 2 * (size - 1) - index;
#elif PAD_MODE == PAD_REPLICATE
    return index < 0 ? 0 : size - 1;
#elif PAD_MODE == PAD_CIRCULAR
    return ((index % size) + size) % size;
#else
    return -1;
#endif
}
