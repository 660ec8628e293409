package dev.jconv.backend.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The weights of the channel-vector kernels ({@code conv2d_channel_vectors}, {@code conv_transpose2d_channel_vectors}),
 * re-laid on the device from PyTorch's layout so that a tap's weights for a block of output channels are one vector
 * load ({@code weight_layout.cl}). A layer's weights are re-laid once, by the first launch that needs them, and the
 * copy is reused while its source is unchanged: it is made again when the source has since been a kernel's output, and
 * freed when the source is closed (a module's new weights are new buffers, so the copy of the old ones goes with them).
 */
final class ChannelVectorWeights {

    static final String SOURCE = "weight_layout.cl";
    static final String KERNEL = "channel_vector_weights";
    static final String TRANSPOSED_KERNEL = "transposed_channel_vector_weights";

    /** Enqueues a kernel launch on the given buffers, in the backend's queue. */
    interface Launcher {
        void enqueue(KernelLaunch launch, ClBuffer[] buffers, String what);
    }

    /** A source buffer (by identity: ClBuffer keeps Object's equals) and its layout. */
    private record Key(ClBuffer source, KernelLaunch.WeightBlocks layout) {}

    /** A copy and the source's write count when it was made. */
    private record Copy(ClBuffer buffer, long sourceWrites) {}

    private final LongFunction<ClBuffer> allocate;
    private final Launcher launcher;
    private final Map<Key, Copy> copies = new HashMap<>();

    ChannelVectorWeights(LongFunction<ClBuffer> allocate, Launcher launcher) {
        this.allocate = allocate;
        this.launcher = launcher;
    }

    /** The launch that re-lays a layer's weights into {@code layout}. */
    static KernelLaunch relayout(KernelLaunch.WeightBlocks layout) {
        long elements = layout.elements();
        return new KernelLaunch(
                SOURCE,
                layout.transposed() ? TRANSPOSED_KERNEL : KERNEL,
                new KernelLaunch.Defines().options(),
                new long[] {elements},
                null,
                new int[] {
                    layout.inChannelsPerGroup(),
                    layout.outChannelsPerGroup(),
                    layout.taps(),
                    layout.channels(),
                    Math.toIntExact(elements)
                });
    }

    /**
     * {@code source} in {@code layout}, enqueued to be made if it is not yet: the queue is in order, so the kernel
     * that reads it runs after.
     */
    synchronized ClBuffer of(ClBuffer source, KernelLaunch.WeightBlocks layout) {
        Key key = new Key(source, layout);
        Copy copy = copies.get(key);
        if (copy != null && copy.sourceWrites() == source.writes()) {
            return copy.buffer();
        }
        if (copy != null) {
            copies.remove(key);
            copy.buffer().close();
        }
        ClBuffer target = allocate.apply(layout.elements());
        try {
            launcher.enqueue(
                    relayout(layout),
                    new ClBuffer[] {source, target},
                    "re-laying " + layout.elements() + " weights into blocks of " + layout.channels()
                            + " output channels");
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        copies.put(key, new Copy(target, source.writes()));
        return target;
    }

    /** Frees the copies of {@code source}, which has been closed. */
    void forget(ClBuffer source) {
        List<ClBuffer> freed = new ArrayList<>();
        synchronized (this) {
            copies.entrySet().removeIf(entry -> {
                if (entry.getKey().source() == source) {
                    freed.add(entry.getValue().buffer());
                    return true;
                }
                return false;
            });
        }
        freed.forEach(ClBuffer::close);
    }
}
