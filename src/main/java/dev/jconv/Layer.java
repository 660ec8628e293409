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

    /** Runs host inputs on {@code target} from now on, like PyTorch's {@code module.to(device)}. */
    Layer to(Device target);

    @Override
    void close();
}
