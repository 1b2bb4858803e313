package dev.engram.pool;

import dev.engram.pool.linux.Fiemap;
import dev.engram.pool.linux.Statx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's bad-block list for the pmem device under a pool file, in file offsets (DESIGN.md §2.4).
 *
 * <p>Steps: statx gives the file's device {@code major:minor}; {@code <sysfs>/dev/block/M:m} leads to
 * the block device, and for a partition (it has a {@code partition} file) to its parent disk and the
 * partition's {@code start} sector. Only pmem disks (named {@code pmem*}) are read: their
 * {@code badblocks} file lists {@code sector count} pairs in 512-byte sectors of the whole disk. Those
 * are made partition-relative and mapped to file offsets through the file's FIEMAP physical extents
 * (which are relative to the partition). Any other device yields no ranges.
 *
 * <p>The sysfs root and both lookups are injectable so the parsing and mapping can be tested without
 * pmem hardware. Thread safety: immutable.
 */
public final class SysfsBadBlockSource implements BadBlockSource {
    static final int SECTOR = 512;

    /** The {@code major:minor} of the device holding a file. */
    @FunctionalInterface
    public interface DeviceLookup {
        /**
         * Looks up the device of a file.
         *
         * @param file the file
         * @return the device as {@code "major:minor"}
         * @throws IOException if the file cannot be examined
         */
        String deviceId(Path file) throws IOException;
    }

    /** The physical extents of a file. */
    @FunctionalInterface
    public interface ExtentLookup {
        /**
         * Looks up the physical extents of a file.
         *
         * @param file the file
         * @return the extents in logical order
         * @throws IOException if the file's extent map cannot be read
         */
        List<Fiemap.Extent> extents(Path file) throws IOException;
    }

    private final Path sysfsRoot;
    private final DeviceLookup devices;
    private final ExtentLookup extents;

    /** The real source: {@code /sys}, statx and FIEMAP. */
    public SysfsBadBlockSource() {
        this(Path.of("/sys"), file -> Statx.of(file).deviceId(), file -> Fiemap.of(file).extents());
    }

    /**
     * A source with injected lookups, for tests without pmem hardware.
     *
     * @param sysfsRoot the directory standing for {@code /sys}
     * @param devices   finds the device holding a pool file
     * @param extents   finds a pool file's physical extents
     */
    public SysfsBadBlockSource(Path sysfsRoot, DeviceLookup devices, ExtentLookup extents) {
        this.sysfsRoot = sysfsRoot;
        this.devices = devices;
        this.extents = extents;
    }

    @Override
    public List<BadRange> badRanges(Path poolFile) throws IOException {
        Path node = sysfsRoot.resolve("dev/block").resolve(devices.deviceId(poolFile));
        if (!Files.exists(node)) {
            return List.of(); // no block device behind the file system (tmpfs, overlay, NFS)
        }
        Path device = node.toRealPath();
        Path disk = device;
        long partitionStart = 0;
        if (Files.exists(device.resolve("partition"))) {
            disk = device.getParent();
            partitionStart = readLong(device.resolve("start"));
        }
        Path list = disk.resolve("badblocks");
        if (!disk.getFileName().toString().startsWith("pmem") || !Files.exists(list)) {
            return List.of();
        }
        List<BadRange> onDevice = deviceRanges(list, partitionStart);
        if (onDevice.isEmpty()) {
            return List.of();
        }
        return mapToFile(onDevice, extents.extents(poolFile));
    }

    /** The badblocks file as byte ranges relative to the partition starting at {@code partitionStart}. */
    static List<BadRange> deviceRanges(Path badblocks, long partitionStart) throws IOException {
        List<String> lines = Files.readAllLines(badblocks, StandardCharsets.US_ASCII);
        List<BadRange> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            long sector;
            long count;
            try {
                if (f.length != 2) {
                    throw new NumberFormatException();
                }
                sector = Long.parseLong(f[0]);
                count = Long.parseLong(f[1]);
            } catch (NumberFormatException e) {
                throw new IOException(badblocks + " line " + (i + 1) + ": expected 'sector count', got '" + line + "'");
            }
            long start = Math.max(sector, partitionStart);
            long end = sector + count;
            if (count > 0 && end > start) {
                out.add(new BadRange((start - partitionStart) * SECTOR, (end - start) * SECTOR));
            }
        }
        return out;
    }

    /** Device byte ranges to file offsets, through the extents that have physical addresses. */
    static List<BadRange> mapToFile(List<BadRange> onDevice, List<Fiemap.Extent> fileExtents) {
        List<BadRange> out = new ArrayList<>();
        for (Fiemap.Extent e : fileExtents) {
            if (!e.hasPhysical()) {
                continue;
            }
            long physEnd = e.physical() + e.length();
            for (BadRange bad : onDevice) {
                long from = Math.max(bad.offset(), e.physical());
                long to = Math.min(bad.end(), physEnd);
                if (from < to) {
                    out.add(new BadRange(e.logical() + (from - e.physical()), to - from));
                }
            }
        }
        return BadRanges.normalize(out);
    }

    private static long readLong(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": expected a number, got '" + text + "'");
        }
    }
}
