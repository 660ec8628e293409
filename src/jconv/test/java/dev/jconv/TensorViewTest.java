package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * {@code x.to(sameDevice)} returns a view of x's memory. The view must keep x reachable: were x collected, its
 * cleaner would free the memory under the view, which would then fail with "used after close()".
 */
class TensorViewTest {

    private static final float[] VALUES = {1, 2, 3, 4, 5, 6};

    /** A view whose owner nothing else refers to; the owner is returned only weakly, for the test to watch. */
    private static Tensor viewOfAnUnreferencedOwner(Device device, WeakReference<?>[] ownerOut) {
        Tensor owner = Tensor.of(VALUES, 1, 1, 2, 3).to(device);
        ownerOut[0] = new WeakReference<>(owner);
        return owner.to(device);
    }

    @Test
    void aViewKeepsItsOwnerAliveThroughGarbageCollections() throws InterruptedException {
        Device device = RecordingBackend.device(1 << 20, 1 << 30);
        RecordingBackend backend = (RecordingBackend) device.backend();
        WeakReference<?>[] owner = new WeakReference<?>[1];
        Tensor view = viewOfAnUnreferencedOwner(device, owner);
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNotNull(owner[0].get(), "the view's owner was collected while the view is in use");
        assertFalse(view.isClosed());
        assertArrayEquals(VALUES, view.toArray(), "the view reads its owner's memory after garbage collections");
        assertEquals(1, backend.liveBuffers());

        view.close(); // closing a view frees nothing ...
        assertEquals(1, backend.liveBuffers());
        view = null;
        // ... and once the view is gone too, the owner is collected and its memory freed.
        for (int attempt = 0; attempt < 100 && (owner[0].get() != null || backend.liveBuffers() > 0); attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(owner[0].get(), "an owner with no view and no other reference is collected");
        assertEquals(0, backend.liveBuffers(), "its memory is freed by the cleaner");
    }

    @Test
    void aViewOfAViewSharesTheFirstOwnerAndClosingTheOwnerClosesBoth() {
        Device device = RecordingBackend.device(1 << 20, 1 << 30);
        Tensor owner = Tensor.of(VALUES, 1, 1, 2, 3).to(device);
        Tensor view = owner.to(device);
        Tensor viewOfView = view.to(device);
        view.close();
        assertArrayEquals(VALUES, viewOfView.toArray(), "closing one view leaves the owner and other views intact");
        owner.close();
        assertTrue(viewOfView.isClosed());
        IllegalStateException error = assertThrows(IllegalStateException.class, viewOfView::toArray);
        assertTrue(error.getMessage().contains("used after close()"), error.getMessage());
    }
}
