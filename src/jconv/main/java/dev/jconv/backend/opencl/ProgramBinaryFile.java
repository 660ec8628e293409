package dev.jconv.backend.opencl;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The format of one entry of the program-binary cache: a magic line, the key the binary was built for (checked on
 * every read, so a hash collision of file names or a file from elsewhere is never used), the binary's SHA-256 (so a
 * flipped byte never reaches the driver, which may not check what it loads) and the binary. Every length is checked
 * against the file's, so a truncated file or one with trailing bytes is rejected too.
 *
 * <pre>
 * "jconv-program-binary/1\n"  int keyBytes  key (UTF-8)  int binaryBytes  32-byte SHA-256 of binary  binary
 * </pre>
 */
final class ProgramBinaryFile {

    private static final byte[] MAGIC = "jconv-program-binary/1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;

    /** Why an entry cannot be used. */
    enum Defect {
        /** Not this format, truncated, or a checksum that does not match: damaged on disk or not ours. */
        CORRUPT,
        /** Intact, but made for another key: a file-name hash collision, or a file copied from elsewhere. */
        OTHER_KEY
    }

    /** An entry that cannot be used, and why. */
    static final class BadEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        private final Defect defect;

        BadEntryException(Defect defect, String message) {
            super(message);
            this.defect = defect;
        }

        Defect defect() {
            return defect;
        }
    }

    private ProgramBinaryFile() {}

    static byte[] encode(String key, byte[] binary) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(MAGIC.length + 8 + keyBytes.length + DIGEST_BYTES + binary.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(keyBytes.length);
            out.write(keyBytes);
            out.writeInt(binary.length);
            out.write(sha256(binary));
            out.write(binary);
        } catch (IOException e) {
            throw new AssertionError("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The binary stored in {@code file} for {@code expectedKey}.
     *
     * @throws BadEntryException saying what is wrong with it
     */
    static byte[] decode(byte[] file, String expectedKey) throws BadEntryException {
        ByteBuffer in = ByteBuffer.wrap(file);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new BadEntryException(Defect.CORRUPT, "it does not start with the format's magic line");
            }
            byte[] key = new byte[checkedLength(in.getInt(), in, "key")];
            in.get(key);
            int binaryLength = checkedLength(in.getInt(), in, "binary");
            byte[] digest = new byte[DIGEST_BYTES];
            in.get(digest);
            if (in.remaining() != binaryLength) {
                throw new BadEntryException(
                        Defect.CORRUPT,
                        "it holds " + in.remaining() + " binary bytes where its" + " header says " + binaryLength);
            }
            byte[] binary = new byte[binaryLength];
            in.get(binary);
            if (!MessageDigest.isEqual(digest, sha256(binary))) {
                throw new BadEntryException(Defect.CORRUPT, "the binary's SHA-256 does not match the one stored");
            }
            if (!new String(key, StandardCharsets.UTF_8).equals(expectedKey)) {
                throw new BadEntryException(Defect.OTHER_KEY, "it was made for another program or driver");
            }
            return binary;
        } catch (BufferUnderflowException e) {
            throw new BadEntryException(Defect.CORRUPT, "it ends after " + file.length + " bytes, inside its header");
        }
    }

    private static int checkedLength(int length, ByteBuffer in, String what) throws BadEntryException {
        if (length < 0 || length > in.remaining()) {
            throw new BadEntryException(
                    Defect.CORRUPT,
                    "its " + what + " length " + length + " does not fit the " + in.remaining()
                            + " bytes left in the file");
        }
        return length;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }
}
