package dev.jconv.backend.java;

/**
 * A main class for a child JVM started with {@code -Djconv.vectorBits=N} (see {@code ForcedVectorWidthTest}): runs the
 * checks that tie the Vector API kernel to the portable one bit for bit, at the forced width, and prints the kernel's
 * name once they pass. A failed check ends the JVM with the assertion's stack trace and a non-zero status.
 */
public final class ForcedWidthCheck {

    private ForcedWidthCheck() {}

    public static void main(String[] args) {
        MicroKernelsAgreeTest tiles = new MicroKernelsAgreeTest();
        tiles.vectorKernelMatchesPortableBitForBit();
        tiles.depthChunksWithAccumulateEqualOneCall();
        JavaBackendMatchesReferenceTest convolutions = new JavaBackendMatchesReferenceTest();
        convolutions.vectorKernelIsSelectedAtThePreferredWidthWhenTheModuleIsPresent();
        convolutions.resultsAreBitIdenticalAcrossRunsAndKernels();
        System.out.println("checked " + MicroKernels.selected().name());
    }
}
