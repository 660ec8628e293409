package dev.jconv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A network shipped inside the jar ({@code /dev/jconv/models/NAME/}): its net.json, net.safetensors, a fixed latent
 * batch and PyTorch's output for it, copied to a temporary directory (the loader memory-maps real files) that is
 * removed when the JVM exits.
 */
final class ShippedModel {

    static final List<String> FILES = List.of("net.json", "net.safetensors", "latent.npy", "expected.npy");

    private final Path directory;

    private ShippedModel(Path directory) {
        this.directory = directory;
    }

    static ShippedModel extract(String name) throws IOException {
        Path directory = Files.createTempDirectory("jconv-" + name);
        directory.toFile().deleteOnExit();
        for (String file : FILES) {
            String resource = "/dev/jconv/models/" + name + "/" + file;
            try (InputStream in = ShippedModel.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("the jar has no " + resource + "; rebuild it (mvn package)");
                }
                Path target = directory.resolve(file);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return new ShippedModel(directory);
    }

    Path file(String name) {
        return directory.resolve(name);
    }
}
