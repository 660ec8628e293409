package dev.jconv;

import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.ConvConfig;
import java.util.Objects;

/**
 * What the builders of {@link Conv2d} and {@link ConvTranspose2d} share, as PyTorch's {@code _ConvNd} holds what the
 * two modules share: the channels and kernel, the keyword arguments both ops take (stride, dilation, groups, bias), and
 * jconv's own (device, fused activation, seed). Each op's builder adds what only it has: padding and padding_mode for
 * Conv2d, padding and output_padding for ConvTranspose2d.
 *
 * @param <B> the op's builder, returned by every setter so calls chain
 * @param <M> the module it builds
 */
public abstract class ConvBuilder<B extends ConvBuilder<B, M>, M extends ConvModule<M, ?>> {

    final int inChannels;
    final int outChannels;
    IntPair kernelSize;
    IntPair stride = IntPair.of(1);
    IntPair dilation = IntPair.of(1);
    int groups = 1;
    boolean bias = true;
    Device device;
    Activation activation = Activation.NONE;
    Long seed;

    ConvBuilder(int inChannels, int outChannels, IntPair kernelSize) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
    }

    /** This builder as its own type, for the setters' return: B is always the class extending this one. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** A non-square kernel, (kH, kW); the builder's own kernel_size argument gives a square one. */
    public B kernelSize(int height, int width) {
        kernelSize = IntPair.of(height, width);
        return self();
    }

    public B stride(int value) {
        return stride(value, value);
    }

    public B stride(int height, int width) {
        stride = IntPair.of(height, width);
        return self();
    }

    public B dilation(int value) {
        return dilation(value, value);
    }

    public B dilation(int height, int width) {
        dilation = IntPair.of(height, width);
        return self();
    }

    public B groups(int value) {
        groups = value;
        return self();
    }

    public B bias(boolean value) {
        bias = value;
        return self();
    }

    /** The device that runs host inputs; default {@link Device#auto()}, chosen at first use. */
    public B device(Device value) {
        device = Objects.requireNonNull(value, "device");
        return self();
    }

    /** An activation fused into the kernel, applied to each output after the bias; default none. */
    public B activation(Activation value) {
        activation = Objects.requireNonNull(value, "activation");
        return self();
    }

    /**
     * Initial weights and bias drawn from {@code value} alone: the same seed gives the same parameters on every run,
     * whatever else the program builds. Without it the module draws from {@link Jconv#manualSeed}'s stream, or
     * randomly when no seed was set.
     */
    public B seed(long value) {
        seed = value;
        return self();
    }

    /**
     * @throws IllegalArgumentException with PyTorch's message for any parameter PyTorch rejects
     */
    public abstract M build();

    /** The hyper-parameters both ops take, as set on this builder (checked by PyTorch's rules when made). */
    CommonConfig common() {
        return new CommonConfig(inChannels, outChannels, kernelSize, stride, dilation, groups, bias);
    }

    /** The module's setup: {@code config} (the op's builder makes it) with this builder's device, activation, seed. */
    <C extends ConvConfig> ModuleSetup<C> setup(C config) {
        return new ModuleSetup<>(config, device, activation, seed);
    }
}
