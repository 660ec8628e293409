package dev.jconv.backend.java;

/**
 * Picks the micro-kernel once per JVM, as Lucene's VectorizationProvider does: the Vector API kernel when the
 * {@code jdk.incubator.vector} module is present and the CPU has 512-bit vectors, else the portable one. It logs
 * nothing itself: the library's one start-up line ({@code dev.jconv.StartupLine}) says which kernel runs and, when
 * the fast one was refused for want of the JVM flag, how to enable it.
 */
final class MicroKernels {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The JVM flag that turns the Vector API kernel on, as the start-up line spells it. */
    static final String VECTOR_FLAG = "--add-modules " + VECTOR_MODULE;
    private static final Selection SELECTED = select();

    /**
     * @param description       the kernel in use, for the start-up line
     * @param howToEnableFaster what would turn the Vector API kernel on, or null when nothing on the command line would
     */
    record Selection(MicroKernel kernel, String description, String howToEnableFaster) {
    }

    private MicroKernels() {
    }

    static MicroKernel selected() {
        return SELECTED.kernel();
    }

    static Selection selection() {
        return SELECTED;
    }

    private static Selection select() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return new Selection(new PortableMicroKernel(), "portable", "for the Vector API kernel (several times"
                    + " faster), start the JVM with " + VECTOR_FLAG);
        }
        try {
            // Reflection keeps the incubator classes out of the linkage of every other class.
            MicroKernel kernel = (MicroKernel) Class.forName(MicroKernels.class.getPackageName() + ".VectorMicroKernel")
                    .getDeclaredConstructor().newInstance();
            return new Selection(kernel, kernel.describe(), null);
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Selection(new PortableMicroKernel(), "portable (the Vector API kernel was refused: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()) + ")", null);
        }
    }
}
