package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;

import dev.jconv.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program binaries of one device kept between processes, in {@code <cache directory>/binaries/<sha-256 of the
 * key>.bin} ({@link ProgramBinaryFile} is the format). The key names everything that makes a binary valid: platform
 * name and version, device name and version, driver version, build options and the SHA-256 of the complete source
 * (includes resolved); any change gives another file, so a stale binary is never found under a new key.
 *
 * <p>Nothing here ever fails a call: an entry that is missing, unreadable, corrupt, made for another key or refused
 * by the driver means the program is built from source (and its entry rewritten), and a directory that cannot be
 * written means programs are built again in the next process. Each kind of problem logs one warning per device
 * opened, never one per program. Entries are written atomically ({@link AtomicFiles}), so processes sharing the
 * directory read a whole entry or none.
 */
final class ProgramBinaries {

    /** Setting: {@code false} turns the binary cache off (nothing read or written), e.g. on a read-only disk. */
    static final String PROPERTY = "jconv.programBinaries";

    static final String ENVIRONMENT = "JCONV_PROGRAM_BINARIES";
    private static final Logger LOG = LoggerFactory.getLogger(ProgramBinaries.class);
    /** Far above any real program binary: a larger file is damaged, and reading it whole could exhaust the heap. */
    private static final long MAX_ENTRY_BYTES = 256L << 20;

    /** The kinds of problem, each warned about once. */
    enum Problem {
        UNREADABLE,
        CORRUPT,
        OTHER_KEY,
        REJECTED,
        UNWRITABLE,
        NO_BINARY
    }

    private final Path directory;
    private final String deviceIdentity;
    private final Set<Problem> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param cacheDirectory the jconv cache directory ({@link CacheDirectory#path()}); binaries go in a subfolder
     * @param deviceIdentity what identifies the device and driver ({@link #identity}), first part of every key
     */
    ProgramBinaries(Path cacheDirectory, String deviceIdentity) {
        this.directory = cacheDirectory.resolve("binaries");
        this.deviceIdentity = deviceIdentity;
    }

    /**
     * Whether binaries are kept: unless {@value #PROPERTY} or {@value #ENVIRONMENT} is {@code false}.
     *
     * @throws IllegalArgumentException naming the setting when it is neither true nor false
     */
    static boolean enabled() {
        Setting setting = Setting.read(PROPERTY, ENVIRONMENT);
        if (setting == null || setting.value().trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (setting.value().trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                setting.source() + " must be true or false, but got '" + setting.value() + "'");
    }

    /** Platform name and version, device name and version, driver version: the driver-side part of every key. */
    static String identity(DeviceHandle handle) {
        return "platform: " + DeviceQueries.platformString(handle.platform(), CL_PLATFORM_NAME) + "\n"
                + "platform version: " + DeviceQueries.platformString(handle.platform(), CL_PLATFORM_VERSION) + "\n"
                + "device: " + DeviceQueries.deviceString(handle.device(), CL_DEVICE_NAME) + "\n"
                + "device version: " + DeviceQueries.deviceString(handle.device(), CL_DEVICE_VERSION) + "\n"
                + "driver version: " + DeviceQueries.deviceString(handle.device(), CL_DRIVER_VERSION) + "\n";
    }

    Path directory() {
        return directory;
    }

    /** The key of {@code source} built with {@code options} on this device: readable text, stored in the entry. */
    String key(String sourceName, String source, String options) {
        return deviceIdentity + "source: " + sourceName + "\n"
                + "source sha-256: " + ProgramBinaryFile.sha256Hex(source) + "\n"
                + "options: " + options + "\n";
    }

    /** The entry's file: the key's SHA-256, so any key maps to a safe, fixed-length name. */
    Path fileFor(String key) {
        return directory.resolve(ProgramBinaryFile.sha256Hex(key) + ".bin");
    }

    /** The binary stored for {@code key}, or null when there is none that can be used (warning once per kind). */
    byte[] read(String key) {
        Path file = fileFor(key);
        if (!Files.isDirectory(directory)) {
            return null; // no entry yet, or not a directory at all: then store() says it cannot write
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_ENTRY_BYTES) {
                ignoring(Problem.CORRUPT, file, "it is " + size + " bytes long, more than any program binary");
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SecurityException e) {
            ignoring(Problem.UNREADABLE, file, "it cannot be read (" + e + ")");
            return null;
        }
        try {
            return ProgramBinaryFile.decode(bytes, key);
        } catch (ProgramBinaryFile.BadEntryException e) {
            ignoring(
                    e.defect() == ProgramBinaryFile.Defect.CORRUPT ? Problem.CORRUPT : Problem.OTHER_KEY,
                    file,
                    e.getMessage());
            return null;
        }
    }

    /** Notes that the driver refused the binary stored for {@code key}; the caller builds from source. */
    void rejected(String key, KernelBuildException refusal) {
        ignoring(Problem.REJECTED, fileFor(key), "the driver refused it: " + firstLine(refusal.getMessage()));
    }

    /** Stores the binary of a program just built for {@code key}, replacing any entry there; never throws. */
    void store(String key, ClProgram program) {
        byte[] binary;
        try {
            binary = program.binary();
        } catch (CLException e) {
            notKept(
                    Problem.NO_BINARY,
                    "the driver gives no binary for " + program + " (" + OpenClException.errorName(e.getStatus())
                            + ")");
            return;
        }
        if (binary == null) {
            notKept(Problem.NO_BINARY, "the driver gives no binary for " + program);
            return;
        }
        Path file = fileFor(key);
        try {
            byte[] entry = ProgramBinaryFile.encode(key, binary);
            AtomicFiles.write(file, out -> out.write(entry));
        } catch (IOException | SecurityException e) {
            notKept(Problem.UNWRITABLE, "cannot write " + file + " (" + e + ")");
        }
    }

    /** One warning per kind: an entry that cannot be used. */
    private void ignoring(Problem problem, Path file, String why) {
        if (warned.add(problem)) {
            LOG.warn(
                    "program binary cache: ignoring {}: {}; building from source and rewriting it (later entries"
                            + " with this problem get no warning)",
                    file,
                    why);
        }
    }

    /** One warning per kind: a binary that cannot be kept. */
    private void notKept(Problem problem, String what) {
        if (warned.add(problem)) {
            LOG.warn(
                    "program binary cache: {}; such programs are built from source again in the next process"
                            + " (later ones get no warning)",
                    what);
        }
    }

    /** Problems warned about so far; for tests. */
    Set<Problem> warned() {
        return Set.copyOf(warned);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
