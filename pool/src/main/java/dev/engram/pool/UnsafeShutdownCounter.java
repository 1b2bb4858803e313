package dev.engram.pool;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The device's count of unsafe (dirty) shutdowns: power lost while data may have been in flight
 * in the device's buffers. Real NVDIMMs expose it; disks, tmpfs and cloud VMs do not, and a pool on
 * such a device is never refused for lacking it (the clean-shutdown flag then decides recovery).
 */
public interface UnsafeShutdownCounter {
    /** No device exposes a counter: always empty. */
    UnsafeShutdownCounter NONE = file -> OptionalLong.empty();

    /**
     * The counter of the device holding {@code file}, or empty where the device has none.
     *
     * @param file a file on the device
     * @return the device's unsafe-shutdown count, or empty where the device has none
     */
    OptionalLong read(Path file);

    /** {@return the real source: the count NVDIMMs expose in sysfs under {@code /sys}} */
    static UnsafeShutdownCounter system() {
        return new SysfsUnsafeShutdownCounter(Path.of("/sys"));
    }
}
