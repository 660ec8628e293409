package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvGeometry;
import java.util.HashSet;
import java.util.Set;

/**
 * The tuner's memory of one case's candidates: which were tried, and what each launches. Many parameter sets plan the
 * very same launch (OC only tiles Conv2d and OCT only ConvTranspose2d, tiles are fitted to the channels, JV is capped
 * by the plane), and timing one of them again would only spend the budget on noise.
 */
final class TriedCandidates {

    private final ConvGeometry geometry;
    private final Tuning row;
    private final Set<KernelChoice> choices = new HashSet<>();
    private final Set<String> launches = new HashSet<>();

    /** @param row the device type's row, which a direct candidate's parameters replace */
    TriedCandidates(ConvGeometry geometry, Tuning row) {
        this.geometry = geometry;
        this.row = row;
    }

    /** Records {@code candidate}; false when it, or another candidate planning the same launch, was recorded. */
    boolean add(KernelChoice candidate) {
        return choices.add(candidate)
                && launches.add(candidate.launch(geometry, row).signature());
    }
}
