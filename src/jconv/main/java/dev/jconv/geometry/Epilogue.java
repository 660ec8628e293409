package dev.jconv.geometry;

import dev.jconv.Activation;
import java.util.Objects;

/** What a kernel does to each output value after the sum and before the store: add the bias, then the activation. */
public record Epilogue(boolean hasBias, Activation activation) {

    public Epilogue {
        Objects.requireNonNull(activation, "activation");
    }

    Epilogue with(Activation replacement) {
        return new Epilogue(hasBias, replacement);
    }
}
