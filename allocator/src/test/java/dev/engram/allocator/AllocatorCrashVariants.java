package dev.engram.allocator;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.MediumAction;
import dev.engram.crashtest.corpus.CrashVariant;
import dev.engram.crashtest.corpus.CrashVariantProvider;

import java.util.List;

import static dev.engram.allocator.TestPool.slot;

/**
 * The allocator's entries in the seeded-bug corpus (registered in
 * {@code META-INF/services/dev.engram.crashtest.corpus.CrashVariantProvider}): the real alloc, free,
 * realloc and reserve/publish paths, which must pass, and small publish paths written here with one
 * ordering bug each, which the harness must catch. The broken paths only reorder or drop persistence
 * steps: run to completion without a crash they leave the same heap and slots as the correct path,
 * so any failure is a crash-consistency failure.
 *
 * <p>Every variant works on a {@link HeapCrash#prefill prefilled} heap and is checked by
 * {@link HeapCrash#check} against the two slot states of the matching correct operation.
 */
public final class AllocatorCrashVariants implements CrashVariantProvider {
    /** Prefix of every variant name this provider adds. */
    static final String PREFIX = "heap-";
    private static final long SIZE = 64;
    private static final long TYPE = 7;
    private static final int ALLOC_SLOT = 5;

    /** For {@link java.util.ServiceLoader}. */
    public AllocatorCrashVariants() {
    }

    @Override
    public List<CrashVariant> variants() {
        final HeapCrash.Step alloc = p -> p.heap.allocate(SIZE, TYPE, slot(ALLOC_SLOT), p.log);
        final HeapCrash.Step free = p -> p.heap.free(p.medium.getLong(slot(0)), slot(0), p.log);
        final HeapCrash.Step realloc = p -> p.heap.realloc(p.medium.getLong(slot(2)), 5000, 2, slot(2), p.log);
        final HeapCrash.Step publish = p -> {
            final Reservation r = p.heap.reserve(SIZE, TYPE);
            p.heap.publish(new Reservation[] {r}, new long[] {slot(ALLOC_SLOT)}, new long[] {p.medium.getLong(slot(1))},
                    new long[] {slot(1)}, p.log);
        };
        return List.of(
                variant("heap-alloc", false, "reserve; drain headers; commit, apply, clear the redo log", alloc, alloc),
                variant("heap-free", false, "bitmap AND and destination 0 in one redo log", free, free),
                variant("heap-realloc", false, "copy flushed, then new block, destination and old block's free in one log",
                        realloc, realloc),
                variant("heap-publish-with-free", false, "a reservation and a free published in one log", publish, publish),
                variant("heap-alloc-bitmap-then-destination-no-log", true,
                        "bitmap bit set and persisted, then the destination, without the redo log", alloc,
                        AllocatorCrashVariants::bitmapThenDestinationWithoutLog),
                variant("heap-alloc-destination-before-commit", true,
                        "destination persisted before the redo log is committed", alloc,
                        AllocatorCrashVariants::destinationBeforeCommit),
                variant("heap-alloc-log-cleared-before-apply", true,
                        "redo log retired (valid word 0, persisted) before its entries are applied", alloc,
                        AllocatorCrashVariants::logClearedBeforeApply),
                variant("heap-alloc-commit-without-header-drain", true,
                        "block header only flushed when the valid word is stored: the commit drain may persist the"
                                + " log before the header (publish before its pre-commit drain)", alloc,
                        AllocatorCrashVariants::commitWithoutHeaderDrain),
                variant("heap-alloc-header-after-publish", true,
                        "block header written and persisted after the publish", alloc,
                        AllocatorCrashVariants::headerAfterPublish),
                variant("heap-free-destination-after-log", true,
                        "free clears the bitmap in the redo log but stores the destination after it", free,
                        AllocatorCrashVariants::freeDestinationAfterLog),
                variant("heap-realloc-copy-not-flushed", true,
                        "realloc copies the object but never flushes the copy before publishing", realloc,
                        AllocatorCrashVariants::reallocCopyNotFlushed));
    }

    private static CrashVariant variant(String name, boolean broken, String what, HeapCrash.Step correct,
                                        HeapCrash.Step workload) {
        final List<long[]> legal = HeapCrash.statesOf(HeapCrash.CHUNKS, HeapCrash::prefill, correct);
        final MediumAction setup = m -> HeapCrash.prefill(TestPool.format(m, HeapCrash.CHUNKS_PER_ZONE));
        final MediumAction traced = m -> workload.run(TestPool.wrap(m));
        final CrashChecker invariant = image -> HeapCrash.check(image, legal, HeapCrash.PREFILL_WORDS);
        return new CrashVariant(name, broken, what, TestPool.mediumSizeFor(HeapCrash.CHUNKS_PER_ZONE, HeapCrash.CHUNKS),
                setup, traced, invariant);
    }

    // ---- broken publish paths ----------------------------------------------------------------------

    /** The reservation of the allocation: a run block (after a reopen, of a run not yet durable). */
    private static Reservation reserveBlock(TestPool p) {
        final Reservation r = p.heap.reserve(SIZE, TYPE);
        if (r.run == null) {
            throw new IllegalStateException("the broken paths assume a run block: " + r);
        }
        return r;
    }

    /** Offset and value of the chunk header a first publish into a new run must store, or -1. */
    private static long runHeaderOffset(Reservation r) {
        return r.run.persistent ? -1 : r.run.zone.chunkHeaderOffset(r.run.chunk);
    }

    private static long runHeader(Reservation r) {
        return ChunkHeaderLayout.run(r.run.cls, SizeClasses.runChunks(r.run.cls));
    }

    /** The bitmap OR and, for a new run, its chunk header: what the correct publish logs besides the destination. */
    private static void logBlock(TestPool p, Reservation r) {
        p.log.or(bitmapWord(r), RunLayout.bitMask(r.block));
        if (runHeaderOffset(r) >= 0) {
            p.log.set(runHeaderOffset(r), runHeader(r));
        }
    }

    private static long bitmapWord(Reservation r) {
        return RunLayout.bitmapWordOffset(r.run.runStart, r.block);
    }

    private static void bitmapThenDestinationWithoutLog(TestPool p) {
        final Reservation r = reserveBlock(p);
        if (runHeaderOffset(r) >= 0) {
            p.medium.putLongPersist(runHeaderOffset(r), runHeader(r));
        }
        final long word = bitmapWord(r);
        p.medium.putLong(word, p.medium.getLong(word) | RunLayout.bitMask(r.block));
        p.medium.persist(word, Long.BYTES);
        p.medium.putLongPersist(slot(ALLOC_SLOT), r.objectOffset());
    }

    private static void destinationBeforeCommit(TestPool p) {
        final Reservation r = reserveBlock(p);
        p.medium.putLongPersist(slot(ALLOC_SLOT), r.objectOffset());
        logBlock(p, r);
        p.log.process();
    }

    private static void logClearedBeforeApply(TestPool p) {
        final Reservation r = reserveBlock(p);
        p.medium.drain();
        logBlock(p, r);
        p.log.set(slot(ALLOC_SLOT), r.objectOffset());
        p.log.commit();
        p.medium.putLongPersist(p.log.offset() + RedoLogLayout.VALID_WORD_OFFSET, 0L);
        p.log.apply();
        p.log.discard();
    }

    private static void commitWithoutHeaderDrain(TestPool p) {
        final Reservation r = reserveBlock(p);
        logBlock(p, r);
        p.log.set(slot(ALLOC_SLOT), r.objectOffset());
        p.log.process();
    }

    private static void headerAfterPublish(TestPool p) {
        final Reservation r = reserveBlock(p);
        final long block = r.blockOffset();
        final long sizeWord = p.medium.getLong(block + BlockHeaderLayout.SIZE_WORD_OFFSET);
        final long type = p.medium.getLong(block + BlockHeaderLayout.TYPE_OFFSET);
        // as if reserve had not written the header: the block of a fresh run holds zeros there
        p.medium.putLong(block + BlockHeaderLayout.SIZE_WORD_OFFSET, 0L);
        p.medium.putLong(block + BlockHeaderLayout.TYPE_OFFSET, 0L);
        p.medium.persist(block, BlockHeaderLayout.HEADER_SIZE);
        p.heap.publish(r, slot(ALLOC_SLOT), p.log);
        p.medium.putLong(block + BlockHeaderLayout.SIZE_WORD_OFFSET, sizeWord);
        p.medium.putLong(block + BlockHeaderLayout.TYPE_OFFSET, type);
        p.medium.persist(block, BlockHeaderLayout.HEADER_SIZE);
    }

    private static void freeDestinationAfterLog(TestPool p) {
        final long object = p.medium.getLong(slot(0));
        final ChunkSpace chunks = p.heap.chunks();
        final ZoneState z = chunks.zoneFor(object);
        final RunState run = chunks.runAt(z, (int) ((object - z.dataStart) / HeapLayout.CHUNK_SIZE));
        final int block = run.blockIndexOf(object);
        p.log.and(RunLayout.bitmapWordOffset(run.runStart, block), ~RunLayout.bitMask(block));
        p.log.process();
        p.medium.putLongPersist(slot(0), 0L);
    }

    private static void reallocCopyNotFlushed(TestPool p) {
        final long old = p.medium.getLong(slot(2));
        final Reservation r = p.heap.reserve(5000, 2);
        p.medium.copy(old, r.objectOffset(), p.heap.usableSize(old));
        p.heap.publish(new Reservation[] {r}, new long[] {slot(2)}, new long[] {old}, null, p.log);
    }
}
