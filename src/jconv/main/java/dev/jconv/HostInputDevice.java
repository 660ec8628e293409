package dev.jconv;

import java.util.Objects;

/**
 * Where a module runs host inputs: the device given to its {@code to()}, else {@link Device#auto()}, chosen at first
 * use (so building a module opens no device and logs nothing).
 */
final class HostInputDevice {

    private volatile Device device;

    HostInputDevice(Device initial) {
        this.device = initial;
    }

    Device get() {
        Device chosen = device;
        if (chosen == null) {
            chosen = Device.auto();
            device = chosen;
        }
        return chosen;
    }

    /** The device set so far, without choosing one: null until {@link #set} or the first {@link #get}. */
    Device configured() {
        return device;
    }

    void set(Device target) {
        device = Objects.requireNonNull(target, "device");
    }
}
