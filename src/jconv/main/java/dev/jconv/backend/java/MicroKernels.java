package dev.jconv.backend.java;

/**
 * Picks the micro-kernel once per JVM, as Lucene's VectorizationProvider does: the Vector API kernel, at the width of
 * the CPU's preferred vector (512, 256 or 128 bits), when the {@code jdk.incubator.vector} module is present, else the
 * portable one. The system property {@code jconv.vectorBits} (128, 256 or 512) asks for a narrower width than the
 * CPU's, so one machine can run and test every width; {@code -XX:MaxVectorSize=32} does the same for the whole JVM.
 * It logs
 * nothing itself: the library's one start-up line ({@code dev.jconv.StartupLine}) says which kernel runs and, when
 * the fast one was refused for want of the JVM flag, how to enable it.
 */
final class MicroKernels {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The JVM flag that turns the Vector API kernel on, as the start-up line spells it. */
    static final String VECTOR_FLAG = "--add-modules " + VECTOR_MODULE;
    /** The system property that forces the Vector API kernel's width in bits. */
    static final String VECTOR_BITS_PROPERTY = "jconv.vectorBits";

    private static final Selection SELECTED = select();

    /**
     * @param description       the kernel in use, for the start-up line
     * @param howToEnableFaster what would turn the Vector API kernel on, or null when nothing on the command line would
     */
    record Selection(MicroKernel kernel, String description, String howToEnableFaster) {}

    private MicroKernels() {}

    static MicroKernel selected() {
        return SELECTED.kernel();
    }

    static Selection selection() {
        return SELECTED;
    }

    /**
     * The width {@code jconv.vectorBits} asks for, or 0 when it is unset (use the CPU's preferred width).
     *
     * @throws IllegalArgumentException when it names no width the kernel has
     */
    static int requestedVectorBits() {
        String value = System.getProperty(VECTOR_BITS_PROPERTY, "").trim();
        if (value.isEmpty()) {
            return 0;
        }
        switch (value) {
            case "128":
            case "256":
            case "512":
                return Integer.parseInt(value);
            default:
                throw new IllegalArgumentException(
                        VECTOR_BITS_PROPERTY + " must be 128, 256 or 512, but got '" + value + "'");
        }
    }

    private static Selection select() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return new Selection(
                    new PortableMicroKernel(),
                    "portable",
                    "for the Vector API kernel (several times" + " faster), start the JVM with " + VECTOR_FLAG);
        }
        try {
            // Reflection keeps the incubator classes out of the linkage of every other class.
            MicroKernel kernel = (MicroKernel) Class.forName(MicroKernels.class.getPackageName() + ".VectorMicroKernel")
                    .getDeclaredConstructor()
                    .newInstance();
            return new Selection(kernel, kernel.describe(), null);
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Selection(
                    new PortableMicroKernel(),
                    "portable (the Vector API kernel was refused: "
                            + (cause.getMessage() != null ? cause.getMessage() : cause.toString()) + ")",
                    null);
        }
    }
}
