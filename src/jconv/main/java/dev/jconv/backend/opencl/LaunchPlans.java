package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvGeometry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The launches planned so far, per kernel choice and op geometry. Planning an op builds its define string and
 * NDRange, which cost several microseconds of string work: on PoCL that was a fifth of a small op's whole call, paid
 * again by every forward call of the same layer on the same input size. Geometries and choices are values, so an
 * equal call finds its launch here; a launch is immutable once planned.
 */
final class LaunchPlans {

    /** A server that sees many input sizes keeps at most this many launches; past it the map starts over. */
    private static final int CAPACITY = 512;

    private record Key(KernelChoice choice, ConvGeometry geometry) {}

    private final Map<Key, KernelLaunch> launches = new ConcurrentHashMap<>();

    /** The launch of {@code geometry} with {@code choice}, planned by {@code planner} the first time. */
    KernelLaunch get(KernelChoice choice, ConvGeometry geometry, Supplier<KernelLaunch> planner) {
        Key key = new Key(choice, geometry);
        KernelLaunch launch = launches.get(key);
        if (launch != null) {
            return launch;
        }
        if (launches.size() >= CAPACITY) {
            launches.clear();
        }
        launch = planner.get();
        launches.put(key, launch);
        return launch;
    }

    /** Launches held now; for tests. */
    int size() {
        return launches.size();
    }
}
