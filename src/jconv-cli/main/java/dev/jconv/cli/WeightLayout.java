package dev.jconv.cli;

import dev.jconv.Tensor;
import dev.jconv.geometry.Shapes;

/**
 * How {@code jconv run} reads channel counts from a weight: in the op's PyTorch layout (Conv2d
 * {@code [out, in/groups, kH, kW]}, ConvTranspose2d {@code [in, out/groups, kH, kW]}). A weight saved from the other
 * module, or in the wrong order, makes the input and the bias look wrong instead; this class puts the blame on the
 * weight when it is the one file that disagrees with the others.
 *
 * @param weightShape a 4-D shape
 * @param groups      the --groups value (a bad value is reported later, by the module's own checks)
 */
record WeightLayout(ConvCall.Op op, int[] weightShape, int groups) {

    int inChannels() {
        return inChannels(op);
    }

    int outChannels() {
        return outChannels(op);
    }

    private int inChannels(ConvCall.Op layout) {
        return layout == ConvCall.Op.CONV2D ? Math.multiplyExact(weightShape[1], Math.max(groups, 1)) : weightShape[0];
    }

    private int outChannels(ConvCall.Op layout) {
        return layout == ConvCall.Op.CONV2D ? weightShape[0] : Math.multiplyExact(weightShape[1], Math.max(groups, 1));
    }

    static String describe(ConvCall.Op layout) {
        return layout.torchName + "'s layout "
                + (layout == ConvCall.Op.CONV2D ? "[out, in/groups, kH, kW]" : "[in, out/groups, kH, kW]");
    }

    /**
     * Throws when the input's channels and the bias's length both disagree with the weight: then the weight is the
     * file at fault (most often one in the other module's layout), not the bias that happens to be checked first.
     *
     * @param bias null when there is none
     * @throws IllegalArgumentException naming the weight, what it was read as, and what the other files say
     */
    void checkAgainst(Tensor input, Tensor bias) {
        if (!inputDisagrees(op, input) || bias == null || !biasDisagrees(op, bias)) {
            return;
        }
        throw new IllegalArgumentException("weight of shape " + Shapes.format(weightShape) + " does not match the"
                + " input or the bias: read in " + describe(op) + " it gives in_channels=" + inChannels()
                + " and out_channels=" + outChannels() + ", but the input " + Shapes.format(input.shape()) + " has "
                + channels(input) + " channels and the bias has " + bias.size(0) + " elements"
                + otherLayoutHint(input, bias));
    }

    /**
     * The error for a call whose input channels disagree with this weight, with a hint when the weight would fit in
     * the other op's layout; other errors unchanged.
     */
    IllegalArgumentException explain(IllegalArgumentException error, Tensor input, Tensor bias) {
        if (!inputDisagrees(op, input)) {
            return error;
        }
        String hint = otherLayoutHint(input, bias);
        return hint.isEmpty() ? error : new IllegalArgumentException(error.getMessage() + hint, error);
    }

    private String otherLayoutHint(Tensor input, Tensor bias) {
        ConvCall.Op other = op == ConvCall.Op.CONV2D ? ConvCall.Op.CONV_TRANSPOSE2D : ConvCall.Op.CONV2D;
        if (inputDisagrees(other, input) || (bias != null && biasDisagrees(other, bias))) {
            return "";
        }
        return "; the weight fits " + describe(other) + ": is it from a "
                + (other == ConvCall.Op.CONV2D ? "Conv2d" : "ConvTranspose2d") + " (check --op and the weight file)?";
    }

    private boolean inputDisagrees(ConvCall.Op layout, Tensor input) {
        return input.dim() >= 3 && channels(input) != inChannels(layout);
    }

    private boolean biasDisagrees(ConvCall.Op layout, Tensor bias) {
        return bias.dim() == 1 && bias.size(0) != outChannels(layout);
    }

    private static int channels(Tensor input) {
        return input.size(input.dim() - 3);
    }
}
