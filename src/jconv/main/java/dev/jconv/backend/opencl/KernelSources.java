package dev.jconv.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The .cl sources packaged in the jar (from {@code opencl-kernels/}), with {@code #include "x.cl"} lines replaced by
 * the included file: the driver compiles a single string and cannot see files inside a jar.
 */
final class KernelSources {

    private static final String RESOURCE_DIRECTORY = "/dev/jconv/kernels/";
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");
    private static final ConcurrentMap<String, String> LOADED = new ConcurrentHashMap<>();

    private KernelSources() {}

    /** The complete source of {@code name} (e.g. {@code conv2d.cl}), includes resolved. */
    static String load(String name) {
        return LOADED.computeIfAbsent(name, key -> resolve(key, new HashSet<>()));
    }

    private static String resolve(String name, Set<String> included) {
        if (!included.add(name)) {
            return ""; // each file once, like #pragma once
        }
        Matcher include = INCLUDE.matcher(read(name));
        StringBuilder source = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(source, Matcher.quoteReplacement(resolve(include.group(1), included)));
        }
        include.appendTail(source);
        return source.toString();
    }

    private static String read(String name) {
        try (InputStream stream = KernelSources.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
            if (stream == null) {
                throw new IllegalStateException("kernel source " + RESOURCE_DIRECTORY + name
                        + " is missing from the classpath (the jar is incomplete)");
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + name, e);
        }
    }
}
