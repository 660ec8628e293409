package dev.jconv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * PyTorch's {@code nn.Sequential} of jconv layers, in eval mode. {@link #forward} costs one upload and one download:
 * every intermediate stays on the device and is freed as soon as the next layer has consumed it.
 *
 * <p>Built with {@link #of}, it fuses as it is built: a convolution followed by a BatchNorm2d and/or an activation
 * becomes one convolution kernel (the BatchNorm folded into its weights, the activation applied before the store),
 * and a BatchNorm2d followed by an activation becomes one elementwise kernel. {@link Identity} layers are dropped.
 * {@link #unfused} runs every layer as given, which is how fusion is checked.
 *
 * <p>The Sequential owns its layers: {@link #close()} closes them all, including those it fused away. A fused layer
 * holds a copy of the parameters as they were when the Sequential was built, so set parameters before building it.
 * Thread-safe as its layers are.
 */
public final class Sequential implements Layer {

    /** One runnable step and the index, in the list it was built from, of the first layer it stands for. */
    private record Step(Layer layer, int sourceIndex) {}

    private final List<Layer> given;
    private final List<Step> steps;
    /** The index of the first BatchNorm2d among the given layers, or -1; PyTorch requires 4-D input from there. */
    private final int firstBatchNorm;

    private final HostInputDevice device = new HostInputDevice(null);

    private Sequential(List<Layer> given, boolean fuse) {
        this.given = List.copyOf(given);
        this.steps = fuse ? fused(this.given) : asGiven(this.given);
        int batchNorm = -1;
        for (int i = 0; i < this.given.size() && batchNorm < 0; i++) {
            if (this.given.get(i) instanceof BatchNorm2d) {
                batchNorm = i;
            }
        }
        this.firstBatchNorm = batchNorm;
    }

    /** The layers, run in order, fused where possible. */
    public static Sequential of(Layer... layers) {
        return of(List.of(layers));
    }

    /** As {@link #of(Layer...)}. */
    public static Sequential of(List<? extends Layer> layers) {
        return new Sequential(new ArrayList<>(layers), true);
    }

    /** The layers run one by one exactly as given (Identity aside): no fusion. */
    public static Sequential unfused(Layer... layers) {
        return new Sequential(List.of(layers), false);
    }

    private static List<Step> asGiven(List<Layer> layers) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof Identity)) {
                steps.add(new Step(layers.get(i), i));
            }
        }
        return steps;
    }

    /** Greedy, left to right: conv [-> BatchNorm2d] [-> activation], and BatchNorm2d -> activation. */
    private static List<Step> fused(List<Layer> layers) {
        List<Step> runnable = asGiven(layers);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < runnable.size(); i++) {
            Step step = runnable.get(i);
            Layer next = i + 1 < runnable.size() ? runnable.get(i + 1).layer() : null;
            Layer afterNext = i + 2 < runnable.size() ? runnable.get(i + 2).layer() : null;
            if (step.layer() instanceof ConvModule<?, ?> conv
                    && conv.activation().isNone()
                    && (next instanceof BatchNorm2d || plainActivation(next))) {
                BatchNorm2d batchNorm = next instanceof BatchNorm2d b ? b : null;
                Activation activation = Activation.NONE;
                if (batchNorm != null && !batchNorm.activation().isNone()) {
                    activation = batchNorm.activation();
                } else if (batchNorm != null && plainActivation(afterNext)) {
                    activation = ((ActivationLayer) afterNext).activation();
                    i++;
                } else if (batchNorm == null) {
                    activation = ((ActivationLayer) next).activation();
                }
                steps.add(new Step(conv.fuse(batchNorm, activation), step.sourceIndex()));
                i++;
            } else if (step.layer() instanceof BatchNorm2d batchNorm
                    && batchNorm.activation().isNone()
                    && plainActivation(next)) {
                steps.add(
                        new Step(batchNorm.withActivation(((ActivationLayer) next).activation()), step.sourceIndex()));
                i++;
            } else {
                steps.add(step);
            }
        }
        return steps;
    }

    private static boolean plainActivation(Layer layer) {
        return layer instanceof ActivationLayer;
    }

    /** The steps {@link #forward} runs, after fusion. */
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        for (Step step : steps) {
            layers.add(step.layer());
        }
        return Collections.unmodifiableList(layers);
    }

    /** The device that runs host inputs: the one given to {@link #to}, else {@link Device#auto()}. */
    public Device device() {
        return device.get();
    }

    /** Runs host inputs on {@code target}: uploaded once, run layer by layer there, downloaded once. */
    @Override
    public Sequential to(Device target) {
        device.set(target);
        return this;
    }

    /**
     * Every layer in turn. A host input is uploaded to {@link #device()} and the result comes back as a host tensor;
     * an input on a device runs there and the result stays there.
     *
     * @throws IllegalArgumentException naming the layer (its index in the list the Sequential was built from) whose
     *                                  input does not fit, with PyTorch's message, before that layer runs
     */
    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        checkRank(input.dim());
        Device target = input.isHost() ? device() : input.device();
        Tensor current = input.to(target);
        try {
            for (Step step : steps) {
                Tensor next = forward(step, current);
                current.close();
                current = next;
            }
            if (input.isHost() && !target.isJava()) {
                Tensor host = current.cpu();
                current.close();
                return host;
            }
            return current;
        } catch (RuntimeException | Error e) {
            current.close();
            throw e;
        }
    }

    private static Tensor forward(Step step, Tensor input) {
        try {
            return step.layer().forward(input);
        } catch (IllegalArgumentException e) {
            throw naming(step, e);
        }
    }

    /**
     * Builds what {@link #forward} needs for an input of {@code inputShape} on {@link #device()}, layer by layer
     * with each layer's output shape, without running anything (see {@link Layer#prepare(Device, int...)}).
     *
     * @return the shape forward gives for that input
     * @throws IllegalArgumentException naming the layer whose input does not fit, as forward does (the layers
     *                                  before it are prepared, as forward would have run them)
     */
    public int[] prepare(int... inputShape) {
        return prepare(device(), inputShape);
    }

    @Override
    public int[] prepare(Device target, int... inputShape) {
        Objects.requireNonNull(target, "device");
        checkRank(inputShape.length);
        int[] shape = inputShape.clone();
        for (Step step : steps) {
            try {
                shape = step.layer().prepare(target, shape);
            } catch (IllegalArgumentException e) {
                throw naming(step, e);
            }
        }
        return shape;
    }

    /** PyTorch's check, made before any layer runs: from the first BatchNorm2d on, the input must be 4-D. */
    private void checkRank(int rank) {
        if (firstBatchNorm >= 0 && rank != 4) {
            throw new IllegalArgumentException("layer " + firstBatchNorm + " (" + given.get(firstBatchNorm)
                    + "): expected 4D input (got " + rank + "D input)");
        }
    }

    private static IllegalArgumentException naming(Step step, IllegalArgumentException e) {
        return new IllegalArgumentException(
                "layer " + step.sourceIndex() + " (" + step.layer() + "): " + e.getMessage(), e);
    }

    /** Closes every layer, fused or given; idempotent. */
    @Override
    public void close() {
        for (Step step : steps) {
            step.layer().close();
        }
        for (Layer layer : given) {
            layer.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Sequential(");
        for (Step step : steps) {
            text.append("\n  (").append(step.sourceIndex()).append("): ").append(step.layer());
        }
        return text.append(steps.isEmpty() ? ")" : "\n)").toString();
    }
}
