package dev.jconv.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DeviceInfo;
import dev.jconv.Devices;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The library's one line at first use, watched from a plain {@code java -cp} JVM as a new user would start one: it
 * names the device and the Java kernel, says what turns on a faster path that is off, and reaches stderr exactly once
 * when no SLF4J provider is on the class path (slf4j-api then discards every log line).
 */
class FirstUseLineTest {

    private static final String LINE_START = "jconv device: ";
    private static final String VECTOR_FIX = "for the Vector API kernel (several times faster), start the JVM with"
            + " --add-modules jdk.incubator.vector";
    /** jconv's class path as a library user has it: jconv, JOCL and slf4j-api, no logging backend. */
    private static final String WITHOUT_PROVIDER = ChildJvm.classPathWithout(entry -> entry.contains("logback"));

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static String theLine(ChildJvm.Result child) {
        assertEquals(0, child.exitCode(), child.both());
        assertEquals(1, count(child.stderr(), LINE_START), "exactly one start-up line on stderr: " + child.both());
        return child.stderr()
                .lines()
                .filter(line -> line.startsWith(LINE_START))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void withoutFlagsOrProviderTheLineReachesStderrOnceAndSaysHowToGetTheVectorKernel() throws Exception {
        ChildJvm.Result child = ChildJvm.run(WITHOUT_PROVIDER, List.of(), ForwardWithoutClose.class, "java");
        String line = theLine(child);
        assertTrue(line.startsWith("jconv device: java "), line);
        assertTrue(line.contains(", requested; Java kernel: portable; " + VECTOR_FIX), line);
        assertTrue(
                child.stderr().contains("SLF4J(W): No SLF4J providers were found"),
                "slf4j-api's own warning, as" + " expected without a provider: " + child.both());
    }

    @Test
    void withTheVectorFlagTheLineNamesTheKernelAndAsksForNoFlag() throws Exception {
        ChildJvm.Result child = ChildJvm.run(
                WITHOUT_PROVIDER, List.of("--add-modules", "jdk.incubator.vector"), ForwardWithoutClose.class, "java");
        String line = theLine(child);
        // CPUs with 128-bit vectors or wider get the Vector API kernel at their width; others say why the portable
        // one runs, with no flag to add.
        assertTrue(
                Pattern.compile("Java kernel: Vector API, (16|8|4) floats per vector \\((512|256|128)-bit\\)")
                                .matcher(line)
                                .find()
                        || line.contains("Java kernel: portable (the Vector API kernel was refused: "),
                line);
        assertFalse(line.contains("--add-modules"), line);
    }

    @Test
    void autoWithoutSignalChainingSaysWhichDeviceItSkippedAndHowToUseIt() throws Exception {
        ChildJvm.Result child = ChildJvm.run(WITHOUT_PROVIDER, List.of(), ForwardWithoutClose.class, "default");
        String line = theLine(child);
        assertTrue(line.contains(", chosen by auto: "), line);
        List<DeviceInfo> llvmDevices = Devices.list().stream()
                .filter(info -> info.platform().equals("Portable Computing Language"))
                .toList();
        if (!llvmDevices.isEmpty()) {
            // This JVM runs with libjsig (surefire preloads it); the child does not, so auto must skip PoCL.
            assertTrue(line.startsWith("jconv device: java "), line);
            assertTrue(
                    line.contains("for OpenCL on " + llvmDevices.get(0).id() + ", start the JVM with LD_PRELOAD="),
                    line);
            assertTrue(line.contains("libjsig.so"), line);
        }
        // Started without the flag, the Java kernel is the portable one on any device, and the line says so.
        assertTrue(line.contains("Java kernel: portable; " + VECTOR_FIX), line);
    }

    @Test
    void withAnSlf4jProviderTheLineGoesToTheLogOnly() throws Exception {
        // Logback, configured by the tests' logback-test.xml, logs to stdout; jconv must not also print to stderr.
        String withLogback = String.join(java.io.File.pathSeparator, ChildJvm.testClassPath());
        ChildJvm.Result child = ChildJvm.run(withLogback, List.of(), ForwardWithoutClose.class, "java");
        assertEquals(0, child.exitCode(), child.both());
        assertEquals(0, count(child.stderr(), LINE_START), child.both());
        assertEquals(1, count(child.stdout(), LINE_START), child.both());
    }
}
