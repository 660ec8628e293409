package dev.jconv;

import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Shapes;
import java.util.Arrays;
import java.util.Objects;

/**
 * PyTorch's {@code nn.BatchNorm2d} in eval mode: {@code y = (x - running_mean) / sqrt(running_var + eps) * weight +
 * bias} per channel. Run standalone it is one elementwise kernel (with an optional activation after it); after a
 * convolution, {@link ConvModule#fuse} folds it into the convolution's weights and bias and it costs nothing.
 * Starts as PyTorch does: weight 1, bias 0, running mean 0, running variance 1. Thread-safe.
 */
public final class BatchNorm2d extends DeviceModule<BatchNorm2d> {

    /** PyTorch's default eps. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int numFeatures;
    private final double eps;
    private final boolean affine;
    private final Activation activation;
    private float[] weight;
    private float[] bias;
    private float[] runningMean;
    private float[] runningVar;

    /** {@code nn.BatchNorm2d(num_features)}. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, true, Activation.NONE);
    }

    /**
     * {@code nn.BatchNorm2d(num_features, eps, affine=affine)}, then {@code activation} in the same kernel.
     *
     * @throws IllegalArgumentException when num_features is not positive or eps is negative or not finite
     */
    public BatchNorm2d(int numFeatures, double eps, boolean affine, Activation activation) {
        super(null);
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("num_features must be positive, but got " + numFeatures);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number >= 0, but got " + eps);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.affine = affine;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.weight = affine ? filled(1f) : null;
        this.bias = affine ? filled(0f) : null;
        this.runningMean = filled(0f);
        this.runningVar = filled(1f);
    }

    private float[] filled(float value) {
        float[] values = new float[numFeatures];
        Arrays.fill(values, value);
        return values;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    public boolean affine() {
        return affine;
    }

    public Activation activation() {
        return activation;
    }

    /** A new BatchNorm2d with the same statistics and parameters, followed by {@code epilogue} in the same kernel. */
    public BatchNorm2d withActivation(Activation epilogue) {
        if (!activation.isNone()) {
            throw new IllegalArgumentException(this + " already ends with " + activation);
        }
        lock.readLock().lock();
        try {
            BatchNorm2d fused = new BatchNorm2d(numFeatures, eps, affine, epilogue);
            fused.weight = weight; // arrays are replaced, never changed in place, so sharing them is safe
            fused.bias = bias;
            fused.runningMean = runningMean;
            fused.runningVar = runningVar;
            if (configuredDevice() != null) {
                fused.to(configuredDevice());
            }
            return fused;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sets {@code weight} (gamma). @throws IllegalArgumentException without affine or for a wrong shape */
    public void setWeight(Tensor value) {
        float[] values = checked("weight", value, true);
        replaceParameters(() -> weight = values);
    }

    /** Sets {@code bias} (beta). @throws IllegalArgumentException without affine or for a wrong shape */
    public void setBias(Tensor value) {
        float[] values = checked("bias", value, true);
        replaceParameters(() -> bias = values);
    }

    public void setRunningMean(Tensor value) {
        float[] values = checked("running_mean", value, false);
        replaceParameters(() -> runningMean = values);
    }

    /** @throws IllegalArgumentException for a wrong shape or a negative variance */
    public void setRunningVar(Tensor value) {
        float[] values = checked("running_var", value, false);
        for (int c = 0; c < values.length; c++) {
            if (values[c] < 0) {
                throw new IllegalArgumentException(
                        "running_var of " + this + " must not be negative, but channel " + c + " has " + values[c]);
            }
        }
        replaceParameters(() -> runningVar = values);
    }

    private float[] checked(String name, Tensor value, boolean affineOnly) {
        Objects.requireNonNull(value, name);
        if (affineOnly && !affine) {
            throw new IllegalArgumentException(this + " was built with affine=False, so it has no " + name);
        }
        if (value.dim() != 1 || value.size(0) != numFeatures) {
            throw new IllegalArgumentException(name + " of " + this + " must have shape [" + numFeatures + "], but got "
                    + Shapes.format(value.shape()));
        }
        return value.toArray();
    }

    /** The per-channel factor {@code weight / sqrt(running_var + eps)}, in double. */
    double scale(int channel) {
        double gamma = affine ? weight[channel] : 1;
        return gamma / Math.sqrt(runningVar[channel] + eps);
    }

    /** {@code (x - running_mean) * scale + bias} for one channel, in double. */
    double normalize(int channel, double x) {
        double beta = affine ? bias[channel] : 0;
        return (x - runningMean[channel]) * scale(channel) + beta;
    }

    @Override
    float[][] hostParameters() {
        float[] scale = new float[numFeatures];
        float[] shift = new float[numFeatures];
        for (int c = 0; c < numFeatures; c++) {
            scale[c] = (float) scale(c);
            shift[c] = (float) normalize(c, 0);
        }
        return new float[][] {scale, shift};
    }

    /**
     * The normalised input, which must be [N, C, H, W] with C = num_features, as PyTorch requires.
     *
     * @throws IllegalArgumentException with PyTorch's message otherwise
     */
    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        int[] shape = input.shape();
        checkInput(shape);
        return execute(
                input,
                shape[0],
                shape,
                (backend, images, buffers) -> backend.channelAffine(
                        ChannelAffineGeometry.perChannel(Shapes.withBatch(shape, images), activation), buffers));
    }

    @Override
    Preparation preparation(int[] inputShape) {
        ChannelAffineGeometry geometry = checkInput(inputShape);
        return new Preparation(inputShape.clone(), backend -> backend.prepare(geometry));
    }

    /** PyTorch's checks: rank 4, then the channel count. */
    private ChannelAffineGeometry checkInput(int[] shape) {
        ChannelAffineGeometry geometry = ChannelAffineGeometry.perChannel(shape, activation);
        if (shape[1] != numFeatures) {
            throw new IllegalArgumentException(
                    "running_mean should contain " + shape[1] + " elements not " + numFeatures);
        }
        return geometry;
    }

    /**
     * PyTorch's repr without the training-only arguments, e.g. {@code BatchNorm2d(16, eps=1e-05, affine=True)}, and
     * the fused activation, if any.
     */
    @Override
    public String toString() {
        return "BatchNorm2d(" + numFeatures + ", eps=" + pythonRepr(eps) + ", affine=" + (affine ? "True" : "False")
                + ")" + (activation.isNone() ? "" : " + " + activation);
    }

    /** A double as Python prints it where it matters here: 1e-05 rather than Java's 1.0E-5. */
    static String pythonRepr(double value) {
        String text = Double.toString(value);
        int exponent = text.indexOf('E');
        if (exponent < 0) {
            return text;
        }
        String mantissa = text.substring(0, exponent).replaceAll("\\.0$", "");
        int power = Integer.parseInt(text.substring(exponent + 1));
        return mantissa + "e" + (power < 0 ? "-" : "+") + String.format("%02d", Math.abs(power));
    }
}
