package dev.engram.pool;

import dev.engram.pool.linux.OfdLock;
import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumKind;
import dev.engram.pool.medium.MediumReader;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;


/**
 * An open pool file: the lock, the mapping and the header (DESIGN.md §2.2, §2.5). {@link PoolOpener}
 * does the creating and opening. Recovery of the lanes and heap belongs to the layers above:
 * {@link #recoveryNeeded()} tells them whether the last close was clean.
 *
 * <p>Close order: drain, record a clean shutdown in the header, unmap, release the lock.
 *
 * <p>Thread safety: the medium is safe for concurrent use (see {@link Medium}); {@link #grow} and
 * {@link #close} are synchronized.
 */
public final class Pool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.engram.pool");

    private final Path path;
    private final FileChannel channel;
    private final OfdLock lock;
    private final Medium medium;
    private final String mediumReason;
    private final boolean readOnly;
    private final boolean cleanAtOpen;
    private final String headerProblem;
    private final boolean ownsMedium;
    private final boolean unsafeShutdown;
    private final List<BadRange> badRanges;
    private volatile PoolHeader header;
    private volatile boolean closed;

    Pool(Path path, FileChannel channel, OfdLock lock, Medium medium, String mediumReason, boolean readOnly,
                 PoolHeader header, boolean cleanAtOpen, String headerProblem, boolean ownsMedium,
                 boolean unsafeShutdown, List<BadRange> badRanges) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.medium = medium;
        this.mediumReason = mediumReason;
        this.readOnly = readOnly;
        this.header = header;
        this.cleanAtOpen = cleanAtOpen;
        this.headerProblem = headerProblem;
        this.ownsMedium = ownsMedium;
        this.unsafeShutdown = unsafeShutdown;
        this.badRanges = List.copyOf(badRanges);
    }

    /**
     * A pool over a medium that is not a file of its own (a crash image, an in-memory copy): the
     * header is read and validated, nothing is locked or written on attach, and {@link #close} only
     * drains. Used by the crash harness and by tools that inspect images.
     *
     * @param medium the image, whose offset 0 is the primary header
     * @param layout the layout the image must have been created with, or null to accept any
     * @return a pool over {@code medium}; closing it does not close the medium
     * @throws PoolCorruptedException     if the image is smaller than the fixed area or than its header says,
     *                                    or neither header copy is valid
     * @throws UnsupportedFormatException if the header's version or feature bits are not supported
     * @throws LayoutMismatchException    if {@code layout} is non-null and differs from the recorded one
     */
    public static Pool attach(Medium medium, String layout) {
        if (medium.size() < PoolHeaderLayout.FIXED_AREA_END) {
            throw new PoolCorruptedException("image is " + medium.size() + " bytes, smaller than the pool's fixed area ("
                    + PoolHeaderLayout.FIXED_AREA_END + " bytes): not a pool image");
        }
        HeaderStore.Choice choice = HeaderStore.read(medium, "image");
        PoolHeader h = choice.header();
        PoolHeaderValidator.checkFormat(h, "image", false);
        PoolHeaderValidator.checkGeometry(h, "image");
        if (layout != null && !layout.equals(h.layoutName())) {
            throw new LayoutMismatchException("image was created with layout '" + h.layoutName() + "', not '" + layout + "'");
        }
        if (medium.size() < h.poolSize()) {
            throw new PoolCorruptedException("image is " + medium.size() + " bytes but its header records "
                    + h.poolSize());
        }
        return new Pool(null, null, null, medium, "attached to " + medium.kind() + " medium", false, h,
                h.cleanShutdown(), choice.otherProblem(), false, false, List.of());
    }

    /**
     * Creates a new pool file (mode 0600); fails if anything exists at {@code path}.
     *
     * @param path    where to create the file; its parent directory must exist
     * @param options size, lanes, layout name and mapping options (see {@link PoolOptions})
     * @return the new pool, open for writing and locked by this process
     * @throws InvalidOptionException if the options describe an impossible pool (see {@link PoolOptions#withSize})
     * @throws PoolIoException        if something exists at {@code path} or the file cannot be written
     * @throws PoolBusyException      if another opener locks the new file before this call finishes
     * @throws DaxUnavailableException if the policy is {@link MappingPolicy#REQUIRE_DAX} and the file cannot be
     *                                DAX-mapped
     */
    public static Pool create(Path path, PoolOptions options) {
        return MediaFaults.guard("create of pool " + path, () -> PoolOpener.create(path, options));
    }

    /**
     * Opens an existing pool. A non-null {@link PoolOptions#layout()} must match the layout recorded at
     * create; size and lane options are taken from the file, not the options.
     *
     * @param path    the pool file; a symbolic link is refused
     * @param options layout check, mapping policy, read-only flag, lock timeout and sources of device state
     * @return the open pool; if {@link #recoveryNeeded()} the layers above must recover it before use
     * @throws PoolIoException            if the file does not exist, is not a regular file or cannot be read
     * @throws PoolBusyException          if another process or opener holds the pool (after the lock timeout)
     * @throws PoolCorruptedException     if neither header copy is valid or the file is shorter than its header says
     * @throws UnsupportedFormatException if the pool's version or feature bits are not supported
     * @throws LayoutMismatchException    if the options name a layout other than the recorded one
     * @throws MediaErrorException        if a known bad block lies in the pool's metadata
     * @throws DaxUnavailableException    if the policy is {@link MappingPolicy#REQUIRE_DAX} and the file cannot be
     *                                    DAX-mapped
     */
    public static Pool open(Path path, PoolOptions options) {
        return MediaFaults.guard("open of pool " + path, () -> PoolOpener.open(path, options));
    }

    // ---- use ----------------------------------------------------------------------------------

    /**
     * The writable medium; refused on a read-only pool.
     *
     * @return the medium to write through
     * @throws PoolIoException     if the pool was opened read-only
     * @throws PoolClosedException if the pool is closed
     */
    public Medium medium() {
        checkOpen();
        if (readOnly) {
            throw new PoolIoException("pool " + path + " was opened read-only; reopen it writable to change it");
        }
        return medium;
    }

    /**
     * The read-only view of the medium.
     *
     * @return the medium as a {@link MediumReader}; it stays valid until the pool closes
     * @throws PoolClosedException if the pool is closed
     */
    public MediumReader reader() {
        checkOpen();
        return medium;
    }

    /**
     * The header as of the last update this process made.
     *
     * @return the newer valid header copy as of this process's last header write
     */
    public PoolHeader header() {
        return header;
    }

    /** {@return the pool file, or null for a pool {@link #attach attached} to an image} */
    public Path path() {
        return path;
    }

    /** {@return whether the pool was opened read-only} */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * True when the last close was not clean: the layers above must recover before use.
     *
     * @return whether the header said "in use" at open
     */
    public boolean recoveryNeeded() {
        return !cleanAtOpen;
    }

    /**
     * Offset of the page owned by the object layer (the root pointer lives there).
     *
     * @return a pool offset, page-aligned
     */
    public long rootAreaOffset() {
        return header.rootAreaOffset();
    }

    /**
     * Offset of lane {@code lane}'s area.
     *
     * @param lane the lane index, {@code 0 <= lane < laneCount}
     * @return the pool offset of the lane's first byte
     * @throws IndexOutOfBoundsException if {@code lane} is out of range
     */
    public long laneOffset(int lane) {
        PoolHeader h = header;
        if (lane < 0 || lane >= h.laneCount()) {
            throw new IndexOutOfBoundsException("lane " + lane + " of " + h.laneCount());
        }
        return h.laneAreaOffset() + (long) lane * h.laneSize();
    }

    /**
     * Extends the pool to {@code newSize} bytes: the file first, then the mapping, then the header. A
     * crash in between leaves a file longer than its header says, which open accepts. Returns the new
     * heap size.
     *
     * @param newSize the new pool size in bytes, a multiple of 4096; a size not above the current one is a no-op
     * @return the heap size in bytes after the call
     * @throws OutOfPoolMemoryException if {@code newSize} is not page-aligned or exceeds the maximum pool size
     * @throws PoolIoException          if the pool is read-only or the file cannot be extended
     * @throws PoolClosedException      if the pool is closed
     */
    public synchronized long grow(long newSize) {
        return MediaFaults.guard("grow of pool " + path, () -> growGuarded(newSize));
    }

    private long growGuarded(long newSize) {
        checkOpen();
        PoolHeader h = header;
        if (readOnly) {
            throw new PoolIoException("pool " + path + " is read-only and cannot grow");
        }
        if (newSize <= h.poolSize()) {
            return h.heapSize();
        }
        if (!Bits.isAligned(newSize, Bits.PAGE_SIZE) || newSize > h.maxPoolSize()) {
            throw new OutOfPoolMemoryException("pool " + path + " cannot grow to " + newSize + " bytes: its maximum is "
                    + h.maxPoolSize() + " (set PoolOptions.withMaxSize at create) and sizes are multiples of 4096");
        }
        medium.grow(newSize);
        PoolHeader grown = h.grownTo(newSize);
        HeaderStore.write(medium, grown);
        header = grown;
        return grown.heapSize();
    }

    /**
     * Known bad ranges inside the heap, found at open (metadata ones refuse the open).
     *
     * @return the known bad ranges in user data, as pool offsets; empty if none
     */
    public List<BadRange> badRanges() {
        return badRanges;
    }

    /**
     * Clones a pool that is closed (or open read-only): an instant reflink where the file system
     * shares extents, else a copy; the clone gets a new UUID. Fails with {@link PoolBusyException} if a
     * writer has the source open.
     *
     * @param src the pool to clone
     * @param dst the clone's path; nothing may exist there
     * @return how the clone was made (reflink or a copy, and why), its size and its new UUID
     * @throws PoolBusyException if a writer has {@code src} open
     * @throws PoolIoException   if {@code dst} exists or either file cannot be read or written
     */
    public static CloneReport clone(Path src, Path dst) {
        return PoolCloner.clone(src, dst);
    }

    /**
     * Clones this open pool as of now: drains, then clones under this pool's own lock. Writes still in
     * progress on other threads land in the clone like a crash image would, and the clone's header says
     * "in use", so its first open runs recovery: the clone is always crash-consistent.
     *
     * @param dst the clone's path; nothing may exist there
     * @return how the clone was made (reflink or a copy, and why), its size and its new UUID
     * @throws PoolIoException     if this pool was attached to an image, or {@code dst} exists or cannot be written
     * @throws PoolClosedException if the pool is closed
     */
    public synchronized CloneReport cloneTo(Path dst) {
        checkOpen();
        if (path == null) {
            throw new PoolIoException("an attached image has no file to clone");
        }
        if (!readOnly) {
            medium.drain();
        }
        return PoolCloner.cloneLocked(path, dst);
    }

    /**
     * {@return a snapshot of what {@code engram info} shows: identity, geometry, medium and why, recovery
     * state, features, shared extents and bad ranges} Reads the file's extent map, so it is not free.
     */
    public PoolInfo info() {
        PoolHeader h = header;
        MediumKind kind = medium.kind();
        return new PoolInfo(path, h.uuid(), h.layoutName(), h.majorVersion(), h.minorVersion(), h.creationTimeMillis(),
                h.poolSize(), h.maxPoolSize(), h.laneCount(), h.laneSize(), h.heapOffset(), h.heapSize(), kind,
                mediumReason, readOnly, cleanAtOpen, recoveryNeeded(), h.shutdownCount(), unsafeShutdown, headerProblem,
                h.compatFeatures(), h.incompatFeatures(), h.roCompatFeatures(),
                path == null ? 0 : PoolOpener.sharedFraction(path), badRanges);
    }

    private void checkOpen() {
        if (closed) {
            throw new PoolClosedException("pool " + (path == null ? "image" : path) + " is closed");
        }
    }

    /** Drains, records a clean shutdown, unmaps and unlocks. Idempotent. */
    @Override
    public synchronized void close() {
        MediaFaults.guard("close of pool " + path, () -> {
            closeGuarded();
            return null;
        });
    }

    private void closeGuarded() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            if (!readOnly) {
                medium.drain();
                if (ownsMedium) {
                    PoolHeader clean = header.closedCleanly();
                    HeaderStore.write(medium, clean);
                    header = clean;
                }
            }
        } catch (RuntimeException e) {
            failure = e; // the header stays "in use": the next open recovers
        } finally {
            if (ownsMedium) {
                medium.close();
            }
            PoolOpener.closeQuietly(lock);
            PoolOpener.closeQuietly(channel);
        }
        if (failure != null) {
            throw failure;
        }
    }



    @Override
    public String toString() {
        return "Pool[" + path + ", " + medium.kind() + (readOnly ? ", read-only" : "") + "]";
    }
}
