package dev.jconv.backend.java;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the micro-kernel once per JVM, as Lucene's VectorizationProvider does: the Vector API kernel when the
 * {@code jdk.incubator.vector} module is present and the CPU has 512-bit vectors, else the portable one. One log
 * line says which was chosen and, when the fast one was refused, how to enable it.
 */
final class MicroKernels {

    private static final Logger LOG = LoggerFactory.getLogger(MicroKernels.class);
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final MicroKernel SELECTED = select();

    private MicroKernels() {
    }

    static MicroKernel selected() {
        return SELECTED;
    }

    private static MicroKernel select() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            LOG.info("jconv java backend: portable kernel; the Vector API kernel is several times faster:"
                    + " start the JVM with --add-modules {} to enable it", VECTOR_MODULE);
            return new PortableMicroKernel();
        }
        try {
            // Reflection keeps the incubator classes out of the linkage of every other class.
            MicroKernel kernel = (MicroKernel) Class.forName(MicroKernels.class.getPackageName() + ".VectorMicroKernel")
                    .getDeclaredConstructor().newInstance();
            LOG.info("jconv java backend: Vector API kernel ({})", VECTOR_MODULE);
            return kernel;
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.info("jconv java backend: portable kernel; the Vector API kernel was refused: {}", cause.toString());
            return new PortableMicroKernel();
        }
    }
}
