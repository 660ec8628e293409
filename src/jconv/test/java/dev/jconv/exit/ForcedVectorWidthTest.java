package dev.jconv.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.backend.java.ForcedWidthCheck;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every width of the Vector API kernel narrower than this CPU's, forced in a child JVM with {@code jconv.vectorBits}:
 * the kernel must be chosen at that width, agree with the portable kernel bit for bit and say its width in the
 * start-up line; a width the kernel does not have is refused with the rule it breaks. (This JVM's own width is
 * covered by the rest of the suite; CI runs the Java tests once more with {@code -XX:MaxVectorSize=32}.)
 */
class ForcedVectorWidthTest {

    private static final List<String> VECTOR = List.of("--add-modules", "jdk.incubator.vector");

    private static void checkWidth(int bits) throws Exception {
        Assumptions.assumeTrue(
                FloatVector.SPECIES_PREFERRED.vectorBitSize() >= bits,
                "this CPU's vectors are narrower than " + bits + " bits");
        ChildJvm.Result child = ChildJvm.run(
                String.join(java.io.File.pathSeparator, ChildJvm.testClassPath()),
                List.of(VECTOR.get(0), VECTOR.get(1), "-Djconv.vectorBits=" + bits),
                ForcedWidthCheck.class);
        assertEquals(0, child.exitCode(), child.both());
        assertTrue(child.stdout().contains("checked vector-api-" + bits), child.both());
    }

    @Test
    void at128BitsTheKernelAgreesWithThePortableOne() throws Exception {
        checkWidth(128);
    }

    @Test
    void at256BitsTheKernelAgreesWithThePortableOne() throws Exception {
        checkWidth(256);
    }

    @Test
    void theStartupLineNamesAForcedWidthAndRefusesAWidthTheKernelLacks() throws Exception {
        String classPath = ChildJvm.classPathWithout(entry -> entry.contains("logback"));
        ChildJvm.Result narrow = ChildJvm.run(
                classPath,
                List.of(VECTOR.get(0), VECTOR.get(1), "-Djconv.vectorBits=128"),
                ForwardWithoutClose.class,
                "java");
        assertTrue(narrow.stderr().contains("Java kernel: Vector API, 4 floats per vector (128-bit)"), narrow.both());
        ChildJvm.Result odd = ChildJvm.run(
                classPath,
                List.of(VECTOR.get(0), VECTOR.get(1), "-Djconv.vectorBits=384"),
                ForwardWithoutClose.class,
                "java");
        assertTrue(
                odd.stderr()
                        .contains("Java kernel: portable (the Vector API kernel was refused: jconv.vectorBits"
                                + " must be 128, 256 or 512, but got '384')"),
                odd.both());
    }
}
