package dev.jconv.geometry;

/** The one-line description of a call that both ops' geometries give, for messages and logs. */
final class GeometryText {

    private GeometryText() {}

    /** The shared words, with the op's name first and its own padding words in the middle. */
    static String describe(ConvGeometry g, String op, String paddingWords) {
        return op + " input " + Shapes.format(g.inputShape()) + " weight " + Shapes.format(g.weightShape())
                + " -> output " + Shapes.format(g.outputShape()) + " (stride " + g.strideHeight() + "x"
                + g.strideWidth() + ", " + paddingWords + ", dilation " + g.dilationHeight() + "x"
                + g.dilationWidth() + ", groups " + g.groups() + ")"
                + (g.activation().isNone() ? "" : " then " + g.activation());
    }
}
