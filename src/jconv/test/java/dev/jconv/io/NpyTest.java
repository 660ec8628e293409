package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy round trips of every rank, and a clear error for every kind of file jconv does not read. */
class NpyTest {

    @TempDir
    Path directory;

    @Test
    void roundTripsEveryRank() throws IOException {
        int[][] shapes = {{}, {3}, {2, 3}, {1, 2, 3}, {2, 1, 3, 2}, {1, 1, 1, 1, 2}, {0, 4}};
        for (int[] shape : shapes) {
            int count = 1;
            for (int dim : shape) {
                count *= dim;
            }
            float[] data = new float[count];
            for (int i = 0; i < count; i++) {
                data[i] = i * 0.5f - 1.25f;
            }
            Path file = directory.resolve("a" + shape.length + ".npy");
            Npy.write(file, shape, data);
            Npy.Array read = Npy.readArray(file);
            assertArrayEquals(shape, read.shape());
            assertArrayEquals(data, read.data());
            assertTrue((Files.size(file) - data.length * 4L) % 64 == 0, "data starts on a 64-byte boundary");
        }
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        // np.save of np.arange(6, dtype='<f4').reshape(2, 3), header as NumPy 1.x writes it.
        Path file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 6 * 4, 1);
        Npy.Array read = Npy.readArray(file);
        assertArrayEquals(new int[] {2, 3}, read.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, read.data());
    }

    @Test
    void version2HeadersAreRead() throws IOException {
        Path file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 3 * 4, 2);
        assertArrayEquals(new int[] {3}, Npy.readArray(file).shape());
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        rejects(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16, 1), "dtype '<f8'");
        rejects(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, 1), "dtype '>f4'");
        rejects(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, 1), "Fortran-order");
        rejects(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", 12, 1), "truncated");
        rejects(
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100), }", 12, 1),
                "larger than jconv can hold");
        rejects(
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000, 1000), }", 12, 1),
                "truncated: shape [1000, 1000, 1000] needs 4000000000 bytes");
        rejects(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12, 1), "unexpected bytes");
        rejects(npy("{'descr': '<f4'}", 0, 1), "corrupt .npy header");
        Path text = directory.resolve("text.npy");
        Files.writeString(text, "hello, this is not an array");
        rejects(text, "not a .npy file");
        Path empty = directory.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        rejects(empty, "truncated");
        assertThrows(NoSuchFileException.class, () -> Npy.readArray(directory.resolve("missing.npy")));
        rejects(directory, "is a directory");
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() {
        Path target = directory.resolve("out.npy");
        assertThrows(IllegalArgumentException.class, () -> Npy.write(target, new int[] {2, 2}, new float[3]));
        assertTrue(!Files.exists(target));
    }

    private static void rejects(Path file, String expected) {
        NpyFormatException error = assertThrows(NpyFormatException.class, () -> Npy.readArray(file));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    private int fileCounter;

    /** A .npy file with the given header dict and {@code dataBytes} bytes of float32 counting 0, 1, 2, ... */
    private Path npy(String dict, int dataBytes, int version) throws IOException {
        int prefix = version == 1 ? 10 : 12;
        int padding = (64 - (prefix + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer bytes =
                ByteBuffer.allocate(prefix + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            bytes.putShort((short) header.length());
        } else {
            bytes.putInt(header.length());
        }
        bytes.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < dataBytes / 4; i++) {
            bytes.putFloat(i);
        }
        Path file = directory.resolve("f" + (fileCounter++) + ".npy");
        Files.write(file, bytes.array());
        return file;
    }
}
