package dev.engram.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the unsafe-shutdown count of the NVDIMMs behind a pmem block device from sysfs.
 *
 * <p>The walk: the file's device number → {@code <sys>/dev/block/MAJ:MIN} (a link into the device
 * tree; a partition's parent is taken) → the namespace's region directory, whose
 * {@code mappingN} files name the DIMMs ({@code nmemX,offset,length,position}) → each
 * {@code <sys>/bus/nd/devices/nmemX/nfit/dirty_shutdown}. The count is the sum over the region's DIMMs,
 * so a dirty shutdown of any of them shows. Anything missing along the way means "no counter".
 */
final class SysfsUnsafeShutdownCounter implements UnsafeShutdownCounter {
    private final Path sys;

    SysfsUnsafeShutdownCounter(Path sys) {
        this.sys = sys;
    }

    @Override
    public OptionalLong read(Path file) {
        try {
            Object dev = Files.getAttribute(file, "unix:dev");
            if (!(dev instanceof Long d)) {
                return OptionalLong.empty();
            }
            return forDevice(major(d), minor(d));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /** Linux dev_t encoding, as glibc's gnu_dev_major / gnu_dev_minor. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xffff_f000L);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffff_ff00L);
    }

    OptionalLong forDevice(long major, long minor) throws IOException {
        Path link = sys.resolve("dev/block/" + major + ":" + minor);
        if (!Files.exists(link)) {
            return OptionalLong.empty();
        }
        Path device = link.toRealPath();
        if (Files.exists(device.resolve("partition"))) {
            device = device.getParent();
        }
        if (!device.getFileName().toString().startsWith("pmem")) {
            return OptionalLong.empty();
        }
        // .../regionN/namespaceN.M/block/pmemN: the region is three levels up.
        Path region = device.getParent() == null ? null : device.getParent().getParent();
        region = region == null ? null : region.getParent();
        if (region == null || !region.getFileName().toString().startsWith("region")) {
            return OptionalLong.empty();
        }
        long sum = 0;
        boolean any = false;
        for (int i = 0; ; i++) {
            Path mapping = region.resolve("mapping" + i);
            if (!Files.exists(mapping)) {
                break;
            }
            String nmem = Files.readString(mapping).trim().split(",")[0];
            Path counter = sys.resolve("bus/nd/devices/" + nmem + "/nfit/dirty_shutdown");
            if (!Files.exists(counter)) {
                return OptionalLong.empty();
            }
            sum += Long.parseLong(Files.readString(counter).trim());
            any = true;
        }
        return any ? OptionalLong.of(sum) : OptionalLong.empty();
    }
}
