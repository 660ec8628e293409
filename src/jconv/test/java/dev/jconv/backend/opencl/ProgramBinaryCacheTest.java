package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Comparison;
import dev.jconv.Device;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.TestDevices;
import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The program-binary cache on the real device, each test with its own cache directory and backends opened on it (a
 * backend opened afresh reads the directory as a new process would): a program built once is loaded by the next
 * backend; a damaged, foreign or refused entry is rebuilt from source with one warning per kind, gives the right
 * result and is rewritten; a directory that cannot be written costs one warning and nothing else; and a binary load
 * counts as a build for fault injection.
 */
class ProgramBinaryCacheTest {

    private static final double TOLERANCE = 1e-4;
    private static final String TINY = "__kernel void twice(__global float *x) { x[get_global_id(0)] *= 2.0f; }";

    @TempDir
    Path cache;

    /** ProgramBinaries' warnings during the test. */
    private CapturedWarnings log;

    @BeforeEach
    void captureWarnings() {
        log = new CapturedWarnings(ProgramBinaries.class);
    }

    @AfterEach
    void release() {
        log.close();
        Faults.clear();
    }

    private OpenClBackend open() {
        return open(cache);
    }

    private static OpenClBackend open(Path directory) {
        return OpenClDevices.open(TestDevices.openClOrSkip().info(), false, directory);
    }

    /** A small 3x3 convolution; each output channel count is another program (input sizes are kernel arguments). */
    private static Conv2dGeometry geometry(int outChannels) {
        return geometry(outChannels, 9, 12);
    }

    private static Conv2dGeometry geometry(int outChannels, int height, int width) {
        return Conv2dGeometry.of(
                new Conv2dConfig(
                        new CommonConfig(4, outChannels, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                        Padding.of(1),
                        PaddingMode.ZEROS),
                new int[] {2, 4, height, width});
    }

    /** Runs {@code geometry} on fixed random data and returns the output. */
    private static float[] run(Backend backend, Conv2dGeometry geometry) {
        float[] input =
                Comparison.randomTensor(1, (int) geometry.inputElements()).toArray();
        float[] weight =
                Comparison.randomTensor(2, (int) geometry.weightElements()).toArray();
        float[] bias = Comparison.randomTensor(3, geometry.outChannels()).toArray();
        float[] output = new float[(int) geometry.outputElements()];
        try (DeviceBuffer in = backend.upload(input);
                DeviceBuffer w = backend.upload(weight);
                DeviceBuffer b = backend.upload(bias);
                DeviceBuffer out = backend.allocate(output.length)) {
            backend.conv2d(geometry, new OpBuffers(in, w, b, out));
            backend.download(out, output);
        }
        return output;
    }

    /** Runs on {@code backend} and checks against the Java backend. */
    private static void runAndCheck(Backend backend, Conv2dGeometry geometry) {
        Comparison.assertClose(
                run(Device.java().backend(), geometry),
                run(backend, geometry),
                TOLERANCE,
                geometry.describe() + " on " + backend.info().id());
    }

    private List<Path> entries() throws IOException {
        Path directory = cache.resolve("binaries");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".bin"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aProgramBuiltByOneBackendIsLoadedByTheNext() throws IOException {
        try (OpenClBackend first = open()) {
            runAndCheck(first, geometry(10));
            assertEquals(1, first.programCounts().built());
            assertEquals(0, first.programCounts().loaded());
        }
        List<Path> entries = entries();
        assertEquals(1, entries.size(), "one entry per program: " + entries);
        try (OpenClBackend second = open()) {
            runAndCheck(second, geometry(10));
            assertEquals(0, second.programCounts().built(), "nothing compiled the second time");
            assertEquals(1, second.programCounts().loaded());
            // Another input size of the same layer: the same program, so the same entry (its key has no sizes).
            runAndCheck(second, geometry(10, 13, 14));
            assertEquals(1, second.programCounts().loaded());
            assertEquals(0, second.programCounts().built());
            runAndCheck(second, geometry(11)); // another layer: another program, compiled
            assertEquals(1, second.programCounts().built());
        }
        assertEquals(2, entries().size());
        assertEquals(List.of(), log.messages());
    }

    @Test
    void theEntryNamesItsKeyAndTheKeyNamesTheDriverTheOptionsAndTheSource() throws Exception {
        try (OpenClBackend backend = open()) {
            backend.buildProgram("tiny.cl", TINY, "-D TINY=1");
            backend.awaitBinaryStores();
            String key = backend.binaries().key("tiny.cl", TINY, "-D TINY=1");
            for (String part : List.of(
                    "platform: ",
                    "platform version: ",
                    "device: ",
                    "driver version: ",
                    "options: -D TINY=1",
                    "source sha-256: " + ProgramBinaryFile.sha256Hex(TINY))) {
                assertTrue(key.contains(part), "'" + part + "' in " + key);
            }
            Path file = backend.binaries().fileFor(key);
            assertEquals(List.of(file), entries());
            assertTrue(ProgramBinaryFile.decode(Files.readAllBytes(file), key).length > 0);
            assertFalse(
                    key.equals(backend.binaries().key("tiny.cl", TINY + " ", "-D TINY=1")),
                    "any change of the source changes the key");
        }
    }

    @Test
    void whileStoresAreSuspendedNewProgramsAreNotStoredAndQueuedStoresWait() throws Exception {
        try (OpenClBackend backend = open()) {
            backend.buildProgram("tiny.cl", TINY, "-D TINY=1"); // queued, to run after a quiet period
            String queued = backend.binaries().key("tiny.cl", TINY, "-D TINY=1");
            try (BinaryWriter.Suspension suspension = backend.suspendBinaryStores()) {
                backend.buildProgram("tiny.cl", TINY, "-D TINY=2");
                // Longer than the quiet period after the last build: without the suspension the first store ran.
                Thread.sleep(BinaryWriter.QUIET_MILLIS + 500);
                assertEquals(List.of(), entries(), "no store while suspended");
                suspension.close();
                suspension.close(); // and the try's close: three closes of one suspension must count once
            }
            // Had the extra closes counted, this suspension would not hold stores off and TINY=4 would be stored.
            try (BinaryWriter.Suspension again = backend.suspendBinaryStores()) {
                backend.buildProgram("tiny.cl", TINY, "-D TINY=4");
            }
            backend.buildProgram("tiny.cl", TINY, "-D TINY=3");
            String after = backend.binaries().key("tiny.cl", TINY, "-D TINY=3");
            backend.awaitBinaryStores();
            assertEquals(
                    List.of(
                                    backend.binaries().fileFor(queued),
                                    backend.binaries().fileFor(after))
                            .stream()
                            .sorted()
                            .toList(),
                    entries(),
                    "the store queued before the suspensions and the build after them; not those during them");
        }
    }

    /** What can happen to an entry on disk. */
    enum Damage {
        TRUNCATED("it ends after"),
        BYTE_FLIPPED("SHA-256 does not match"),
        OTHER_KEY("made for another"),
        GARBAGE_BINARY("the driver refused it");

        final String words;

        Damage(String words) {
            this.words = words;
        }

        void apply(Path file) throws Exception {
            byte[] bytes = Files.readAllBytes(file);
            switch (this) {
                case TRUNCATED -> Files.write(file, java.util.Arrays.copyOf(bytes, 20));
                case BYTE_FLIPPED -> {
                    bytes[bytes.length - 7] ^= 0x55;
                    Files.write(file, bytes);
                }
                case OTHER_KEY -> Files.write(file, ProgramBinaryFile.encode("another key\n", new byte[] {1, 2}));
                // Intact and for the right key, but not a binary the driver made: only the driver can tell.
                case GARBAGE_BINARY ->
                    Files.write(
                            file,
                            ProgramBinaryFile.encode(
                                    keyOf(bytes),
                                    "this is not a program binary".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                default -> throw new AssertionError(this);
            }
        }

        /** The key stored in an intact entry (the format's own reader would return only the binary). */
        private static String keyOf(byte[] entry) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(entry);
            in.position("jconv-program-binary/1\n".length());
            byte[] key = new byte[in.getInt()];
            in.get(key);
            return new String(key, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedEntryIsRebuiltWithOneWarningAndRewritten(Damage damage) throws Exception {
        try (OpenClBackend first = open()) {
            runAndCheck(first, geometry(12));
            runAndCheck(first, geometry(13));
        }
        List<Path> entries = entries();
        assertEquals(2, entries.size());
        for (Path entry : entries) {
            damage.apply(entry);
        }
        try (OpenClBackend second = open()) {
            runAndCheck(second, geometry(12));
            runAndCheck(second, geometry(13));
            assertEquals(2, second.programCounts().built(), "both rebuilt from source");
            assertEquals(0, second.programCounts().loaded());
        }
        List<String> warnings = log.messages();
        assertEquals(1, warnings.size(), "one warning for two damaged entries: " + warnings);
        assertTrue(
                warnings.get(0).contains(damage.words) && warnings.get(0).contains("building from source"),
                warnings.get(0));
        try (OpenClBackend third = open()) {
            runAndCheck(third, geometry(12));
            runAndCheck(third, geometry(13));
            assertEquals(2, third.programCounts().loaded(), "the rebuilt programs' entries were rewritten");
        }
        assertEquals(1, log.messages().size());
    }

    @Test
    void anEntryThatCannotBeReadIsRebuiltWithWarnings() throws Exception {
        Conv2dGeometry geometry = geometry(14);
        try (OpenClBackend first = open()) {
            runAndCheck(first, geometry);
        }
        Path entry = entries().get(0);
        Files.delete(entry);
        Files.createDirectories(entry.resolve("in-the-way")); // a directory where the file was: no read, no write
        try (OpenClBackend second = open()) {
            runAndCheck(second, geometry);
            assertEquals(1, second.programCounts().built());
        }
        List<String> warnings = log.messages();
        assertEquals(2, warnings.size(), "one for the read, one for the write: " + warnings);
        assertTrue(warnings.get(0).contains("cannot be read"), warnings.get(0));
        assertTrue(warnings.get(1).contains("cannot write"), warnings.get(1));
    }

    @Test
    void aDirectoryThatCannotBeWrittenCostsOneWarning() throws Exception {
        Path notADirectory = Files.writeString(cache.resolve("a-file"), "in the way");
        try (OpenClBackend backend = open(notADirectory)) {
            runAndCheck(backend, geometry(15));
            runAndCheck(backend, geometry(16));
            assertEquals(2, backend.programCounts().built());
        }
        List<String> warnings = log.messages();
        assertEquals(1, warnings.size(), "once, not per program: " + warnings);
        assertTrue(
                warnings.get(0).contains("cannot write") && warnings.get(0).contains("next process"), warnings.get(0));
    }

    @Test
    void theCacheCanBeTurnedOffAndAMalformedSettingIsNamed() throws IOException {
        String previous = System.setProperty(ProgramBinaries.PROPERTY, "false");
        try {
            try (OpenClBackend backend = open()) {
                runAndCheck(backend, geometry(17));
            }
            assertEquals(List.of(), entries(), "nothing written");
            try (OpenClBackend backend = open()) {
                runAndCheck(backend, geometry(17));
                assertEquals(1, backend.programCounts().built(), "nothing read");
            }
            System.setProperty(ProgramBinaries.PROPERTY, "maybe");
            IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class, this::open);
            assertEquals(
                    "system property jconv.programBinaries must be true or false, but got 'maybe'",
                    malformed.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(ProgramBinaries.PROPERTY);
            } else {
                System.setProperty(ProgramBinaries.PROPERTY, previous);
            }
        }
    }

    @Test
    void aBinaryLoadCountsAsABuildForFaultInjection() {
        try (OpenClBackend first = open()) {
            first.buildProgram("tiny.cl", TINY, "-D TINY=2");
        }
        try (OpenClBackend second = open()) {
            FaultPlan plan = Faults.install("build:1");
            KernelBuildException failure =
                    assertThrows(KernelBuildException.class, () -> second.buildProgram("tiny.cl", TINY, "-D TINY=2"));
            assertTrue(failure.getMessage().contains("[injected fault build:1:"), failure.getMessage());
            assertEquals(1, plan.calls(FaultPoint.BUILD), "the failed load was not followed by a compile");
            assertEquals(0, second.programCounts().obtained());
            second.buildProgram("tiny.cl", TINY, "-D TINY=2");
            assertEquals(1, second.programCounts().loaded(), "the entry is still good");
        }
        assertEquals(List.of(), log.messages(), "an injected fault is not a damaged entry");
    }
}
