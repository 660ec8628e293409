package dev.jconv;

/**
 * One step of a network: a module whose {@link #forward} takes a tensor and gives a new one. An input that lives on a
 * device runs there and its output stays there; a host input runs on the layer's device and comes back to the host.
 * Closing frees what the layer keeps on devices; it is idempotent.
 */
public interface Layer extends AutoCloseable {

    /**
     * The output for {@code input}.
     *
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit, before any device work
     */
    Tensor forward(Tensor input);

    /**
     * Builds ahead of time everything {@link #forward} needs for an input of {@code inputShape} on {@code device}
     * (on OpenCL, the programs: loaded from the binary cache or compiled), without running anything, so the first
     * forward of that shape runs at once. Checks the shape as forward does.
     *
     * <p>The default throws, for layers that are not jconv's own: jconv cannot know what they need.
     *
     * @return the shape forward gives for that input
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit
     */
    default int[] prepare(Device device, int... inputShape) {
        throw new UnsupportedOperationException(
                this + " cannot be prepared ahead of time: it is not one of jconv's" + " layers");
    }

    /** Runs host inputs on {@code target} from now on, like PyTorch's {@code module.to(device)}. */
    Layer to(Device target);

    @Override
    void close();
}
