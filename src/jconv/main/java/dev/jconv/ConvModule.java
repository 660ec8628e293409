package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.ConvConfig;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.Shapes;
import dev.jconv.geometry.WeightLayout;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * What Conv2d and ConvTranspose2d share (usable as their common type), as PyTorch's {@code _ConvNd}: the config, weight
 * and bias held on the host (uploaded once per device by {@link DeviceModule}), the activation fused into the kernel,
 * BatchNorm folding, and how a validated call runs and is prepared. Thread-safe.
 *
 * @param <M> the op's module, returned by {@link #to} and {@link #fuse}
 * @param <C> the op's config
 */
public abstract class ConvModule<M extends ConvModule<M, C>, C extends ConvConfig> extends DeviceModule<M> {

    /**
     * The seed of modules whose parameters are replaced at once (by {@link #fuse}): a fixed seed of their own keeps
     * them from drawing on the process-wide stream, so fusing does not change the weights of modules built later.
     */
    static final Long UNUSED_SEED = 0L;

    private final C config;
    private final int[] weightShape;
    private final WeightLayout weightLayout;
    private final int groups;
    private final int outChannels;
    private final boolean hasBias;
    /** The fused epilogue: applied by the kernel to every output after the bias. */
    private final Activation activation;

    private float[] weight;
    private float[] bias;

    ConvModule(ModuleSetup<C> setup) {
        super(setup.device());
        this.config = Objects.requireNonNull(setup.config(), "config");
        this.activation = Objects.requireNonNull(setup.activation(), "activation");
        this.weightShape = config.weightShape();
        this.weightLayout = config.weightLayout();
        this.groups = config.common().groups();
        this.outChannels = config.common().outChannels();
        this.hasBias = config.common().bias();
        // PyTorch's reset_parameters: kaiming_uniform_(a=sqrt(5)) and the bias rule both come to U(-1/sqrt(fan_in), +).
        double bound = 1.0 / Math.sqrt(config.fanIn());
        SplittableRandom random = InitialParameters.generator(setup.seed());
        this.weight = uniform(random, Shapes.elementCount(weightShape), bound);
        this.bias = hasBias ? uniform(random, outChannels, bound) : null;
    }

    private static float[] uniform(SplittableRandom random, int count, double bound) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    /**
     * The output for {@code input} ([N, C, H, W], or [C, H, W] unbatched; the output has the same rank).
     *
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit, before any device work
     */
    public abstract Tensor forward(Tensor input);

    /** The geometry of a call on {@code inputShape}, validated as forward does; for planning and tools. */
    public abstract ConvGeometry geometry(int... inputShape);

    /** The op's hyper-parameters, as checked when the module was built. */
    public C config() {
        return config;
    }

    /** The op's entry on a backend: {@code Backend::conv2d} or {@code Backend::convTranspose2d}. */
    @FunctionalInterface
    interface GeometryCall<G extends ConvGeometry> {
        void run(Backend backend, G geometry, OpBuffers buffers);
    }

    /**
     * Runs {@code call} on an input validated as {@code geometry}. A host batch too large for the device runs in
     * slices; {@code slice} gives the geometry of a slice's images ({@code geometry::withBatch}).
     */
    final <G extends ConvGeometry> Tensor execute(
            Tensor input, G geometry, IntFunction<G> slice, GeometryCall<G> call) {
        return execute(
                input,
                geometry.batch(),
                geometry.outputShape(),
                (backend, images, buffers) -> call.run(backend, slice.apply(images), buffers));
    }

    /** What {@link #prepare} builds for a call validated as {@code geometry}: {@code build}, a Backend::prepare. */
    static <G extends ConvGeometry> Preparation preparationOf(G geometry, BiConsumer<Backend, G> build) {
        return new Preparation(geometry.outputShape(), backend -> build.accept(backend, geometry));
    }

    /** The activation fused into this module's kernels ({@link Activation#NONE} when there is none). */
    public Activation activation() {
        return activation;
    }

    public int outChannels() {
        return outChannels;
    }

    /**
     * A new module computing {@code activation(batchNorm(this(x)))} in one kernel: the BatchNorm2d (eval mode) is
     * folded into the weight and bias, so each output channel's weights are scaled by {@code gamma / sqrt(var + eps)}
     * and its bias becomes {@code (bias - mean) * scale + beta} (computed in double, rounded once). The new module has
     * a bias even when this one has none, runs host inputs on this module's device, and shares nothing with this one.
     *
     * @param batchNorm null to fuse only the activation
     * @throws IllegalArgumentException when the BatchNorm's num_features is not this module's out_channels, or this
     *                                  module already has an activation
     */
    public M fuse(BatchNorm2d batchNorm, Activation epilogue) {
        Objects.requireNonNull(epilogue, "activation");
        if (!activation.isNone()) {
            throw new IllegalArgumentException(this + " already ends with " + activation + "; nothing can be fused"
                    + " after a non-linear activation");
        }
        if (batchNorm != null && batchNorm.numFeatures() != outChannels) {
            throw new IllegalArgumentException(batchNorm + " cannot follow " + this + ": it normalises "
                    + batchNorm.numFeatures() + " channels but the convolution gives " + outChannels);
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            float[] fusedWeight = weight.clone();
            float[] fusedBias = new float[outChannels];
            for (int channel = 0; channel < outChannels; channel++) {
                double shift = bias == null ? 0 : bias[channel];
                fusedBias[channel] = (float) (batchNorm == null ? shift : batchNorm.normalize(channel, shift));
            }
            if (batchNorm != null) {
                for (int i = 0; i < fusedWeight.length; i++) {
                    fusedWeight[i] = (float)
                            (fusedWeight[i] * batchNorm.scale(weightLayout.outputChannelOf(i, weightShape, groups)));
                }
            }
            M fused = withEpilogue(batchNorm != null || hasBias, epilogue);
            // Java reaches this class's private fields through the class type, not through the type variable M.
            ConvModule<M, C> parameters = fused;
            parameters.weight = fusedWeight;
            parameters.bias = parameters.hasBias ? fusedBias : null;
            return fused;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A fresh module with this one's hyper-parameters and device, with or without a bias, ending in {@code epilogue}.
     */
    abstract M withEpilogue(boolean withBias, Activation epilogue);

    /** What {@link #withEpilogue} builds its module from: {@code config}, this module's device, its own seed. */
    <C extends ConvConfig> ModuleSetup<C> epilogueSetup(C config, Activation epilogue) {
        return new ModuleSetup<>(config, configuredDevice(), epilogue, UNUSED_SEED);
    }

    @Override
    float[][] hostParameters() {
        return new float[][] {weight, bias};
    }

    /** A host copy of the weight, in PyTorch's layout. */
    public Tensor weight() {
        lock.readLock().lock();
        try {
            return Tensor.of(weight, weightShape);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A host copy of the bias, or null when built with bias=false. */
    public Tensor bias() {
        lock.readLock().lock();
        try {
            return bias == null ? null : Tensor.of(bias, outChannels);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the weight (copied; the tensor may live on any device).
     *
     * @throws IllegalArgumentException when the shape is not the module's weight shape
     */
    public void setWeight(Tensor newWeight) {
        Objects.requireNonNull(newWeight, "weight");
        if (!java.util.Arrays.equals(newWeight.shape(), weightShape)) {
            throw new IllegalArgumentException("weight of " + this + " must have shape " + Shapes.format(weightShape)
                    + ", but got " + Shapes.format(newWeight.shape()));
        }
        float[] values = newWeight.toArray();
        replaceParameters(() -> weight = values);
    }

    /**
     * Replaces the bias (copied).
     *
     * @throws IllegalArgumentException when the module has no bias or the shape is not [out_channels]
     */
    public void setBias(Tensor newBias) {
        Objects.requireNonNull(newBias, "bias");
        if (!hasBias) {
            throw new IllegalArgumentException(this + " was built with bias=False, so it has no bias to set");
        }
        if (newBias.dim() != 1 || newBias.size(0) != outChannels) {
            throw new IllegalArgumentException("bias of " + this + " must have shape [" + outChannels + "], but got "
                    + Shapes.format(newBias.shape()));
        }
        float[] values = newBias.toArray();
        replaceParameters(() -> bias = values);
    }

    /** PyTorch's repr of the module, which names it in messages. */
    @Override
    public String toString() {
        return config.toString();
    }
}
