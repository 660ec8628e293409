package dev.jconv;

/**
 * Process-wide settings, as PyTorch keeps them at module level ({@code torch.manual_seed}).
 */
public final class Jconv {

    private Jconv() {}

    /**
     * Like {@code torch.manual_seed(seed)}: modules built after this call, without a seed of their own, draw their
     * initial weights and biases from one stream started at {@code seed}, in the order they are built, so a program
     * that builds the same modules in the same order gets the same parameters on every run (and on every JVM and
     * machine). Until it is called, or after {@link #clearManualSeed()}, every module gets fresh random parameters.
     * The values are jconv's own: the same seed does not give PyTorch's numbers.
     */
    public static void manualSeed(long seed) {
        InitialParameters.manualSeed(seed);
    }

    /** Back to the default: modules without a seed of their own get fresh random parameters. */
    public static void clearManualSeed() {
        InitialParameters.clearManualSeed();
    }
}
