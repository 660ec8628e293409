package dev.jconv.io;

import dev.jconv.Activation;
import dev.jconv.ActivationLayer;
import dev.jconv.BatchNorm2d;
import dev.jconv.Conv2d;
import dev.jconv.ConvBuilder;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Identity;
import dev.jconv.IntPair;
import dev.jconv.Layer;
import dev.jconv.PaddingMode;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.geometry.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Sequential} from a network file ({@code net.json}, see {@link NetSpec}) and its checkpoint
 * ({@code net.safetensors}, named as {@code nn.Sequential.state_dict()} names them). Every tensor the layers need must
 * be there with the layer's shape, and every tensor there must belong to a layer; {@code num_batches_tracked} (any
 * integer dtype) is accepted and ignored, as eval mode never reads it.
 */
public final class SequentialLoader {

    private static final String BATCHES_TRACKED = "num_batches_tracked";

    private final Safetensors weights;
    private final Path weightsFile;
    private final Set<String> unused;

    private SequentialLoader(Safetensors weights, Path weightsFile) {
        this.weights = weights;
        this.weightsFile = weightsFile;
        this.unused = new LinkedHashSet<>(weights.names());
    }

    /**
     * The network of {@code netJson} with the parameters of {@code safetensors}, fused (see {@link Sequential#of}).
     *
     * @throws IOException naming the file, the layer and the tensor for anything missing, extra, misshapen or corrupt
     */
    public static Sequential load(Path netJson, Path safetensors) throws IOException {
        NetSpec spec = NetSpec.read(netJson);
        SequentialLoader loader = new SequentialLoader(Safetensors.open(safetensors), safetensors);
        List<Layer> layers = new ArrayList<>();
        try {
            for (LayerSpec layer : spec.layers()) {
                layers.add(loader.buildNamed(layer));
            }
            loader.checkAllUsed(spec);
            return Sequential.of(layers);
        } catch (IllegalArgumentException e) {
            layers.forEach(Layer::close);
            throw new IOException(netJson + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            layers.forEach(Layer::close);
            throw e;
        }
    }

    /** As {@link #build}, with PyTorch's constructor errors (which do not say where) prefixed by the layer. */
    private Layer buildNamed(LayerSpec layer) throws IOException {
        try {
            return build(layer);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("layer ")) {
                throw e;
            }
            throw new IllegalArgumentException(
                    "layer " + layer.index() + " (" + layer.type() + "): " + e.getMessage(), e);
        }
    }

    private Layer build(LayerSpec layer) throws IOException {
        return switch (layer.type()) {
            case "Conv2d" -> withParameters(layer, conv2d(layer));
            case "ConvTranspose2d" -> withParameters(layer, convTranspose2d(layer));
            case "BatchNorm2d" -> batchNorm(layer);
            case "ReLU" -> new ActivationLayer(Activation.RELU);
            case "LeakyReLU" ->
                new ActivationLayer(Activation.leakyRelu(
                        (float) layer.number("negative_slope", Activation.DEFAULT_NEGATIVE_SLOPE)));
            case "ReLU6" -> new ActivationLayer(Activation.RELU6);
            case "Sigmoid" -> new ActivationLayer(Activation.SIGMOID);
            case "Tanh" -> new ActivationLayer(Activation.TANH);
            case "SiLU" -> new ActivationLayer(Activation.SILU);
            case "GELU" -> new ActivationLayer(gelu(layer));
            case "Hardswish" -> new ActivationLayer(Activation.HARDSWISH);
            case "Dropout", "Identity" -> new Identity();
            default ->
                throw new IllegalArgumentException("layer " + layer.index() + " has unknown type '" + layer.type()
                        + "'"); // NetSpec refuses these first; kept so a new type cannot slip through
        };
    }

    private static Activation gelu(LayerSpec layer) {
        String approximate = layer.string("approximate", "none");
        return switch (approximate) {
            case "none" -> Activation.GELU;
            case "tanh" -> Activation.GELU_TANH;
            default ->
                throw new IllegalArgumentException("layer " + layer.index() + " (GELU): approximate must be"
                        + " 'none' or 'tanh', but got '" + approximate + "'");
        };
    }

    private static Conv2d conv2d(LayerSpec layer) {
        return convBuilder(layer, Conv2d::builder)
                .padding(layer.padding("padding", 0))
                .paddingMode(PaddingMode.parse(layer.string("padding_mode", "zeros")))
                .build();
    }

    private static ConvTranspose2d convTranspose2d(LayerSpec layer) {
        // NetSpec has refused every padding_mode but "zeros", the only one PyTorch's ConvTranspose2d has.
        IntPair padding = layer.intPair("padding", 0);
        IntPair outputPadding = layer.intPair("output_padding", 0);
        return convBuilder(layer, ConvTranspose2d::builder)
                .padding(padding.height(), padding.width())
                .outputPadding(outputPadding.height(), outputPadding.width())
                .build();
    }

    /** {@code Conv2d::builder} or {@code ConvTranspose2d::builder}. */
    private interface BuilderFactory<B> {
        B builder(int inChannels, int outChannels, IntPair kernelSize);
    }

    /**
     * Either op's builder with the arguments both convolutions take (PyTorch's {@code _ConvNd} ones: channels,
     * kernel_size, stride, dilation, groups, bias) read from {@code layer}, so the two read them alike; the caller adds
     * its op's own. NetSpec has checked every value's type already.
     */
    private static <B extends ConvBuilder<B, ?>> B convBuilder(LayerSpec layer, BuilderFactory<B> factory) {
        IntPair kernel = layer.intPair("kernel_size");
        IntPair stride = layer.intPair("stride", 1);
        IntPair dilation = layer.intPair("dilation", 1);
        return factory.builder(layer.integer("in_channels"), layer.integer("out_channels"), kernel)
                .stride(stride.height(), stride.width())
                .dilation(dilation.height(), dilation.width())
                .groups(layer.integer("groups", 1))
                .bias(layer.bool("bias", true));
    }

    private ConvModule<?, ?> withParameters(LayerSpec layer, ConvModule<?, ?> module) throws IOException {
        try {
            module.setWeight(tensor(layer, module, "weight", module.weight().shape()));
            if (module.bias() != null) {
                module.setBias(tensor(layer, module, "bias", new int[] {module.outChannels()}));
            }
            return module;
        } catch (IOException | RuntimeException e) {
            module.close();
            throw e;
        }
    }

    private BatchNorm2d batchNorm(LayerSpec layer) throws IOException {
        if (!layer.bool("track_running_stats", true)) {
            throw new IllegalArgumentException("layer " + layer.index() + " (BatchNorm2d): track_running_stats=False"
                    + " normalises with each batch's own statistics, which eval-mode inference does not do; only"
                    + " BatchNorm2d with running statistics is supported");
        }
        int features = layer.integer("num_features");
        BatchNorm2d batchNorm = new BatchNorm2d(
                features, layer.number("eps", BatchNorm2d.DEFAULT_EPS), layer.bool("affine", true), Activation.NONE);
        int[] shape = {features};
        try {
            if (batchNorm.affine()) {
                batchNorm.setWeight(tensor(layer, batchNorm, "weight", shape));
                batchNorm.setBias(tensor(layer, batchNorm, "bias", shape));
            }
            batchNorm.setRunningMean(tensor(layer, batchNorm, "running_mean", shape));
            batchNorm.setRunningVar(tensor(layer, batchNorm, "running_var", shape));
            String tracked = layer.index() + "." + BATCHES_TRACKED;
            if (weights.names().contains(tracked) && weights.isFloating(tracked)) {
                throw new IllegalArgumentException("layer " + layer.index() + " (BatchNorm2d): '" + tracked
                        + "' must be an integer tensor, but " + weightsFile + " has " + weights.dtype(tracked));
            }
            unused.remove(tracked);
            return batchNorm;
        } catch (IOException | RuntimeException e) {
            batchNorm.close();
            throw e;
        }
    }

    /** The tensor {@code index.name}, checked against the shape the layer needs, as a host tensor. */
    private Tensor tensor(LayerSpec layer, Layer module, String name, int[] shape) throws IOException {
        String key = layer.index() + "." + name;
        if (!weights.names().contains(key)) {
            throw new IllegalArgumentException("layer " + layer.index() + " (" + module + ") needs tensor '" + key
                    + "' with shape " + Shapes.format(shape) + ", which " + weightsFile + " does not have");
        }
        int[] actual = weights.shape(key);
        if (!Arrays.equals(actual, shape)) {
            throw new IllegalArgumentException("layer " + layer.index() + " (" + module + ") expects tensor '"
                    + key + "' with shape " + Shapes.format(shape) + ", but " + weightsFile + " has shape "
                    + Shapes.format(actual));
        }
        if (!weights.isFloating(key)) {
            throw new IllegalArgumentException("layer " + layer.index() + " (" + module + ") needs floating-point"
                    + " values in tensor '" + key + "', but " + weightsFile + " has " + weights.dtype(key));
        }
        unused.remove(key);
        return Tensor.of(weights.floats(key), shape);
    }

    private void checkAllUsed(NetSpec spec) {
        if (unused.isEmpty()) {
            return;
        }
        Map<String, String> owners = new LinkedHashMap<>();
        for (String key : unused) {
            String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            String owner = "no layer " + prefix;
            for (LayerSpec layer : spec.layers()) {
                if (String.valueOf(layer.index()).equals(prefix)) {
                    owner = "layer " + prefix + " is " + layer.type();
                }
            }
            owners.put(key, owner);
        }
        throw new IllegalArgumentException(weightsFile + " holds " + unused.size() + " tensor(s) that no layer of the"
                + " network uses: "
                + owners.entrySet().stream()
                        .map(e -> "'" + e.getKey() + "' (" + e.getValue() + ")")
                        .reduce((a, b) -> a + ", " + b)
                        .orElse(""));
    }
}
