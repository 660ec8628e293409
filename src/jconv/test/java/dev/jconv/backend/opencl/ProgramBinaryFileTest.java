package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The program-binary entry format on its own: what it writes reads back, and every damage a file can suffer (cut
 * anywhere, any byte changed, bytes appended, another key) is recognised, so no damaged binary reaches a driver.
 */
class ProgramBinaryFileTest {

    private static final String KEY = "platform: P\ndevice: D\noptions: -D A=1\n";

    private static byte[] binary(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void whatIsWrittenReadsBack() throws Exception {
        byte[] binary = binary(1000);
        assertArrayEquals(binary, ProgramBinaryFile.decode(ProgramBinaryFile.encode(KEY, binary), KEY));
        assertArrayEquals(new byte[0], ProgramBinaryFile.decode(ProgramBinaryFile.encode(KEY, new byte[0]), KEY));
    }

    @Test
    void aFileCutAnywhereIsCorrupt() {
        byte[] entry = ProgramBinaryFile.encode(KEY, binary(100));
        for (int length = 0; length < entry.length; length++) {
            byte[] cut = Arrays.copyOf(entry, length);
            ProgramBinaryFile.BadEntryException bad = assertThrows(
                    ProgramBinaryFile.BadEntryException.class,
                    () -> ProgramBinaryFile.decode(cut, KEY),
                    "cut to " + length + " bytes");
            assertEquals(ProgramBinaryFile.Defect.CORRUPT, bad.defect(), bad.getMessage());
        }
    }

    @Test
    void anyChangedByteIsRecognised() {
        byte[] entry = ProgramBinaryFile.encode(KEY, binary(64));
        for (int index = 0; index < entry.length; index++) {
            byte[] changed = entry.clone();
            changed[index] ^= 0x20;
            int at = index;
            // A changed key byte gives another (intact) key; any other change is damage.
            ProgramBinaryFile.BadEntryException bad = assertThrows(
                    ProgramBinaryFile.BadEntryException.class,
                    () -> ProgramBinaryFile.decode(changed, KEY),
                    "byte " + at + " changed");
            assertTrue(bad.getMessage() != null && !bad.getMessage().isEmpty());
        }
    }

    @Test
    void appendedBytesAreCorrupt() {
        byte[] entry = ProgramBinaryFile.encode(KEY, binary(64));
        byte[] longer = Arrays.copyOf(entry, entry.length + 1);
        ProgramBinaryFile.BadEntryException bad =
                assertThrows(ProgramBinaryFile.BadEntryException.class, () -> ProgramBinaryFile.decode(longer, KEY));
        assertEquals(ProgramBinaryFile.Defect.CORRUPT, bad.defect());
        assertTrue(bad.getMessage().contains("65 binary bytes where its header says 64"), bad.getMessage());
    }

    @Test
    void anIntactEntryForAnotherKeyIsNotUsed() {
        byte[] entry = ProgramBinaryFile.encode(KEY + "source sha-256: 00\n", binary(64));
        ProgramBinaryFile.BadEntryException bad =
                assertThrows(ProgramBinaryFile.BadEntryException.class, () -> ProgramBinaryFile.decode(entry, KEY));
        assertEquals(ProgramBinaryFile.Defect.OTHER_KEY, bad.defect());
    }

    @Test
    void aFileOfAnotherFormatIsCorrupt() {
        byte[] text = "{\"not\": \"a program binary\"}".getBytes(StandardCharsets.UTF_8);
        ProgramBinaryFile.BadEntryException bad =
                assertThrows(ProgramBinaryFile.BadEntryException.class, () -> ProgramBinaryFile.decode(text, KEY));
        assertEquals(ProgramBinaryFile.Defect.CORRUPT, bad.defect());
        assertTrue(bad.getMessage().contains("magic"), bad.getMessage());
    }
}
