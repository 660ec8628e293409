package dev.jconv;

import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Shapes;
import java.util.Objects;

/**
 * A standalone activation ({@code nn.ReLU()}, {@code nn.Tanh()}, ...) on a tensor of any shape: one elementwise
 * kernel. After a convolution or a BatchNorm2d, {@link Sequential} fuses it into that layer's kernel instead.
 */
public final class ActivationLayer extends DeviceModule<ActivationLayer> {

    private final Activation activation;

    public ActivationLayer(Activation activation) {
        super(null);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    public Activation activation() {
        return activation;
    }

    @Override
    float[][] hostParameters() {
        return new float[][] {null, null};
    }

    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        int[] shape = input.shape();
        // A 4-D batch may be split into slices when it is too large for the device; other ranks run whole.
        int batch = shape.length == 4 ? shape[0] : 1;
        return execute(input, batch, shape, (backend, images, buffers) -> {
            int[] slice = shape.length == 4 ? Shapes.withBatch(shape, images) : shape;
            backend.channelAffine(ChannelAffineGeometry.activationOnly(slice, activation), buffers);
        });
    }

    @Override
    Preparation preparation(int[] inputShape) {
        ChannelAffineGeometry geometry = ChannelAffineGeometry.activationOnly(inputShape, activation);
        return new Preparation(inputShape.clone(), backend -> backend.prepare(geometry));
    }

    @Override
    public String toString() {
        return activation.toString();
    }
}
