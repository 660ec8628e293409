package dev.jconv;

import java.util.Objects;

/**
 * PyTorch's {@code nn.Identity}, and what {@code nn.Dropout} is in eval mode: the output is the input. It returns a
 * view (see {@link Tensor#to}), so closing the output never frees the input. {@link Sequential} leaves it out.
 */
public final class Identity implements Layer {

    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        return input.to(input.device());
    }

    /** Nothing to build: the output is the input. */
    @Override
    public int[] prepare(Device device, int... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Identity to(Device target) {
        return this;
    }

    @Override
    public void close() {
        // Nothing is kept.
    }

    @Override
    public String toString() {
        return "Identity()";
    }
}
