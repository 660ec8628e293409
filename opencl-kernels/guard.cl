/*
 * Every buffer the host allocates has GUARD floats of slack before and after its data; kernels receive pointers to
 * the buffer start and skip the guard.
 */

#define SKIP_GUARD(pointer) ((pointer) + GUARD)
