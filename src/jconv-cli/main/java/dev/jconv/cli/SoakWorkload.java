package dev.jconv.cli;

import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.PaddingMode;
import dev.jconv.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What {@code jconv soak} runs: a fixed mix of Conv2d and ConvTranspose2d layers that reaches every kernel shape class
 * (3x3, strided, 1x1, depthwise, grouped, dilated, the non-zero padding modes, kernel == stride, output_padding), each
 * with inputs for batch sizes 1 to {@value #MAX_BATCH} and the Java backend's result for each, computed once up
 * front, so every soak call can be checked without recomputing the reference.
 */
final class SoakWorkload implements AutoCloseable {

    static final int MAX_BATCH = 4;

    /** One layer: on the Java backend (the reference), its twin on the device, and inputs with their results. */
    record Layer(
            String name, ConvModule<?, ?> reference, ConvModule<?, ?> onDevice, Tensor[] inputs, float[][] expected) {

        Tensor input(int batch) {
            return inputs[batch - 1];
        }

        float[] expected(int batch) {
            return expected[batch - 1];
        }
    }

    private final List<Layer> layers = new ArrayList<>();

    /** Builds the layers on {@code device} and computes every reference result on the Java backend. */
    SoakWorkload(Device device, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        add(device, random, Conv2d.builder(3, 16, 3).padding(1), new int[] {3, 32, 32});
        add(device, random, Conv2d.builder(16, 32, 3).stride(2).padding(1), new int[] {16, 16, 16});
        add(device, random, Conv2d.builder(32, 32, 1), new int[] {32, 8, 8});
        add(device, random, Conv2d.builder(8, 8, 3).padding(1).groups(8), new int[] {8, 20, 20});
        add(device, random, Conv2d.builder(6, 12, 5).padding(2).paddingMode(PaddingMode.REFLECT), new int[] {6, 15, 17
        });
        add(
                device,
                random,
                Conv2d.builder(4, 8, 3).dilation(2).padding(2).paddingMode(PaddingMode.CIRCULAR),
                new int[] {4, 12, 12});
        add(
                device,
                random,
                Conv2d.builder(12, 6, 3)
                        .kernelSize(3, 5)
                        .stride(2, 1)
                        .groups(3)
                        .paddingMode(PaddingMode.REPLICATE)
                        .padding(1, 2),
                new int[] {12, 11, 13});
        add(device, random, ConvTranspose2d.builder(16, 8, 4).stride(2).padding(1), new int[] {16, 8, 8});
        add(device, random, ConvTranspose2d.builder(8, 3, 3).padding(1), new int[] {8, 16, 16});
        add(device, random, ConvTranspose2d.builder(6, 6, 2).stride(2), new int[] {6, 9, 9});
        add(
                device,
                random,
                ConvTranspose2d.builder(4, 8, 3)
                        .stride(2)
                        .padding(1)
                        .outputPadding(1)
                        .groups(2),
                new int[] {4, 7, 10});
        add(device, random, ConvTranspose2d.builder(12, 4, 3).stride(3).dilation(2), new int[] {12, 5, 6});
    }

    private void add(Device device, SplittableRandom random, Conv2d.Builder builder, int[] image) {
        add(device, random, builder.device(Device.java()).build(), image);
    }

    private void add(Device device, SplittableRandom random, ConvTranspose2d.Builder builder, int[] image) {
        add(device, random, builder.device(Device.java()).build(), image);
    }

    private void add(Device device, SplittableRandom random, ConvModule<?, ?> reference, int[] image) {
        Tensor[] inputs = new Tensor[MAX_BATCH];
        float[][] expected = new float[MAX_BATCH][];
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            int[] shape = {batch, image[0], image[1], image[2]};
            float[] values = new float[batch * image[0] * image[1] * image[2]];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            inputs[batch - 1] = Tensor.of(values, shape);
            expected[batch - 1] = reference.forward(inputs[batch - 1]).toArray();
        }
        layers.add(new Layer(reference.toString(), reference, twin(reference, device), inputs, expected));
    }

    /** A new module with {@code reference}'s configuration and parameters, running on {@code device}. */
    static ConvModule<?, ?> twin(ConvModule<?, ?> reference, Device device) {
        ConvModule<?, ?> module = reference instanceof Conv2d conv
                ? new Conv2d(conv.config(), device)
                : new ConvTranspose2d(((ConvTranspose2d) reference).config(), device);
        try {
            module.setWeight(reference.weight());
            if (reference.bias() != null) {
                module.setBias(reference.bias());
            }
            return module;
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    List<Layer> layers() {
        return layers;
    }

    @Override
    public void close() {
        for (Layer layer : layers) {
            layer.onDevice().close();
            layer.reference().close();
        }
    }
}
