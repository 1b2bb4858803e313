package dev.engram.allocator;

import dev.engram.pool.Bits;
import dev.engram.pool.medium.Medium;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A redo log over a caller's region ({@link RedoLogLayout}): collects 8-byte word operations that
 * must happen all or none, then makes them durable and applies them.
 *
 * <p>Persistence order of {@link #process}:
 * <ol>
 *   <li>{@link #commit}: store the entries, flush them, store the valid word (checksum, count,
 *       generation), flush it with {@code flushShared}, one drain. From here on recovery replays the
 *       log. The valid word's line is usually still pending from the previous {@link #clear}, so the
 *       drain writes it back anyway: a plain flush would write the line back a second time before
 *       the fence, and on CPU-cache media each write-back of one line in one fence costs a full
 *       write-back latency;</li>
 *   <li>{@link #apply}: store each word, flush it, one drain;</li>
 *   <li>{@link #clear}: store 0 in the valid word and flush it with {@code flushShared}, without a
 *       drain of its own: the next drain on any thread makes it durable. Until then a replay rewrites words the log already
 *       wrote, which is harmless as long as no word named by the log changes before that drain; the
 *       heap guarantees this by returning freed blocks and chunks to its free lists only after
 *       {@code clear}, and every later publish drains before it applies.</li>
 * </ol>
 *
 * <p><b>Recovery order.</b> {@link #recover} every redo log (every lane) <em>before</em> opening the
 * heap with {@link PersistentHeap#open}: the heap rebuilds its free lists from bitmaps and chunk
 * headers, which a pending log may still change.
 *
 * <p>Thread safety: none. A log belongs to one lane and is used by one thread at a time. Entries
 * of concurrent logs that read-modify-write the same word ({@code OR}/{@code AND}) must be applied
 * under a lock the caller holds; the heap holds its run locks around {@link #apply}.
 */
public final class RedoLog {
    /** Entries up to which {@link #add} scans instead of using the hash index. */
    private static final int LINEAR_ENTRIES = 16;

    private final Medium medium;
    private final long offset;
    private final int capacity;
    private final long[] words;
    private final long[] operands;
    /** Per entry: whether {@link #results} holds the value apply stores (see {@link #orKnowing}). */
    private final boolean[] resultKnown;
    private final long[] results;
    private final long[] indexKeys;
    private final int[] indexSlots;
    private final int indexMask;
    private final int[] usedSlots;
    private int usedSlotCount;
    /**
     * Whether the hash index ({@link #indexKeys}) holds every entry: built only once a log grows past
     * {@link #LINEAR_ENTRIES}; below that a backward scan of the entries finds a target faster than
     * hashing, and discarding has no index to reset.
     */
    private boolean indexed;
    private int size;
    private int generation;
    /**
     * The entries as they go to the media (little-endian, like the medium), built here so that the
     * checksum is computed from the Java heap: a checksum read back through the medium goes through
     * the mapping's shared memory session, whose acquire/release counter every lane would then write
     * on every commit.
     */
    private final byte[] image;
    private final ByteBuffer imageBuffer;
    private final CRC32C crc = new CRC32C();
    /** Check entries ({@link #witness}), written after the word entries and never applied. */
    private final long[] witnessWords;
    private final long[] witnessOperands;
    private int witnessCount;
    /** Witnessed bytes pass through here on their way into the checksum (see {@link #witness}). */
    private final byte[] witnessBuffer = new byte[1024];
    private final CRC32C witnessCrc = new CRC32C();

    private RedoLog(Medium medium, long offset, long capacityBytes) {
        if ((offset & RedoLogLayout.OP_MASK) != 0 || offset < 0) {
            throw new IllegalArgumentException("redo log offset must be 8-aligned and non-negative, offset=" + offset);
        }
        final int entries = RedoLogLayout.capacityEntries(capacityBytes);
        if (entries < 1) {
            throw new IllegalArgumentException("redo log region too small: capacityBytes=" + capacityBytes
                    + ", minCapacity=" + RedoLogLayout.bytesFor(1));
        }
        if (offset > medium.size() - RedoLogLayout.bytesFor(entries)) {
            throw new IllegalArgumentException("redo log region outside the medium: offset=" + offset
                    + " capacityBytes=" + capacityBytes + " mediumSize=" + medium.size());
        }
        this.medium = medium;
        this.offset = offset;
        this.capacity = entries;
        this.words = new long[entries];
        this.operands = new long[entries];
        this.resultKnown = new boolean[entries];
        this.results = new long[entries];
        final int slots = Integer.highestOneBit(Math.max(4, entries * 2 - 1)) << 1;
        this.indexKeys = new long[slots];
        this.indexSlots = new int[slots];
        this.indexMask = slots - 1;
        this.usedSlots = new int[entries];
        Arrays.fill(indexKeys, -1L);
        this.image = new byte[entries * RedoLogLayout.ENTRY_SIZE];
        this.witnessWords = new long[entries];
        this.witnessOperands = new long[entries];
        this.imageBuffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Formats the region as an empty log (valid word 0, persisted) and returns it.
     *
     * @param medium        the medium the log lives on
     * @param offset        pool offset of the region, 8-aligned
     * @param capacityBytes bytes in the region; {@link RedoLogLayout#capacityEntries} entries fit
     * @return the empty log
     * @throws IllegalArgumentException if the offset is misaligned, the region holds no entry or lies outside
     *                                  the medium
     */
    public static RedoLog format(Medium medium, long offset, long capacityBytes) {
        final RedoLog log = new RedoLog(medium, offset, capacityBytes);
        medium.fill(offset, RedoLogLayout.HEADER_SIZE, (byte) 0);
        medium.persist(offset, RedoLogLayout.HEADER_SIZE);
        return log;
    }

    /**
     * A log over a region that has been {@link #recover recovered} (its valid word is 0).
     *
     * @throws IllegalStateException if the log is still live: recover it first
     *
     * @param medium        the medium the log lives on
     * @param offset        pool offset of the region, 8-aligned
     * @param capacityBytes bytes in the region
     * @return the log, empty
     * @throws IllegalArgumentException if the offset is misaligned, the region holds no entry or lies outside
     *                                  the medium
     */
    public static RedoLog open(Medium medium, long offset, long capacityBytes) {
        final RedoLog log = new RedoLog(medium, offset, capacityBytes);
        if (medium.getLong(offset + RedoLogLayout.VALID_WORD_OFFSET) != 0) {
            throw new IllegalStateException("redo log at offset=" + offset + " is live: call RedoLog.recover first");
        }
        return log;
    }

    /** {@return the pool offset of the log region} */
    public long offset() {
        return offset;
    }

    /** {@return the number of entries the log holds} */
    public int capacity() {
        return capacity;
    }

    /** {@return the number of word entries collected and not yet processed (witnesses not counted)} */
    public int size() {
        return size;
    }

    /** {@return the number of entries, word entries or witnesses, that can still be collected} */
    public int remaining() {
        return capacity - size - witnessCount;
    }

    /**
     * Collects a witness of {@code [offset, offset + length)}, widened to whole 8-byte words: after a
     * crash, recovery replays this log only if the range still holds the bytes it holds now, and
     * discards the log otherwise (see {@link RedoLogLayout}). For a caller that stored into the range,
     * flushes it without a drain, and lets {@link #commit}'s drain make range and log durable
     * together: a crash that kept the log but lost part of the range then loses both.
     *
     * <p>Reads the range now, so call it after the last store and before the flush: the lines are
     * then still in the cache (a write-back may evict them).
     *
     * @param offset pool offset of the first byte
     * @param length bytes in the range, positive, at most 2^32 - 8 once widened
     * @throws IllegalArgumentException if the range is empty, too long or outside the medium
     * @throws IllegalStateException    if the log is full
     */
    public void witness(long offset, long length) {
        final long start = Bits.alignDown(offset, Long.BYTES);
        final long end = Bits.alignUp(offset + length, Long.BYTES);
        if (length <= 0 || offset < 0 || end > medium.size() || end - start > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("witnessed range must be non-empty, inside the medium and under 4 GiB:"
                    + " offset=" + offset + " length=" + length + " mediumSize=" + medium.size());
        }
        if (size + witnessCount == capacity) {
            throw full();
        }
        witnessCrc.reset();
        for (long at = start; at < end; ) {
            final int n = (int) Math.min(end - at, witnessBuffer.length);
            medium.getBytes(at, witnessBuffer, 0, n);
            witnessCrc.update(witnessBuffer, 0, n);
            at += n;
        }
        witnessWords[witnessCount] = RedoLogLayout.packEntry(start, RedoLogLayout.OP_CHECK);
        witnessOperands[witnessCount] = RedoLogLayout.packWitness((int) witnessCrc.getValue(), end - start);
        witnessCount++;
    }

    /**
     * Collects "store {@code value} at {@code target}".
     *
     * A later {@code set} of the same target replaces the value.
     *
     * @param target pool offset of an 8-byte word, 8-aligned, inside the medium
     * @param value  the value to store
     * @throws IllegalArgumentException if {@code target} is misaligned or outside the medium
     * @throws IllegalStateException    if the log is full
     */
    public void set(long target, long value) {
        add(target, RedoLogLayout.OP_SET, value);
    }

    /**
     * Collects "OR {@code bits} into the word at {@code target}".
     *
     * Consecutive ORs into the same target merge into one entry.
     *
     * @param target pool offset of an 8-byte word, 8-aligned, inside the medium
     * @param bits   the bits to set
     * @throws IllegalArgumentException if {@code target} is misaligned or outside the medium
     * @throws IllegalStateException    if the log is full
     */
    public void or(long target, long bits) {
        add(target, RedoLogLayout.OP_OR, bits);
    }

    /**
     * Collects "AND {@code mask} into the word at {@code target}".
     *
     * Consecutive ANDs into the same target merge into one entry.
     *
     * @param target pool offset of an 8-byte word, 8-aligned, inside the medium
     * @param mask   the bits to keep
     * @throws IllegalArgumentException if {@code target} is misaligned or outside the medium
     * @throws IllegalStateException    if the log is full
     */
    public void and(long target, long mask) {
        add(target, RedoLogLayout.OP_AND, mask);
    }

    /**
     * {@link #or} for a caller that knows the word's current value and keeps every other writer away
     * from it until {@link #apply} returns (the heap holds the run's lock): apply then stores
     * {@code current | bits} without reading the word, whose line the previous write-back may have
     * taken out of the core's cache. The entry is an ordinary OR on the media, so a replay ORs. When
     * the log already holds an entry for {@code target}, apply reads the word as usual.
     */
    void orKnowing(long target, long bits, long current) {
        if (add(target, RedoLogLayout.OP_OR, bits)) {
            resultKnown[size - 1] = true;
            results[size - 1] = current | bits;
        }
    }

    /** {@link #and} with the word's current value known, as for {@link #orKnowing}. */
    void andKnowing(long target, long mask, long current) {
        if (add(target, RedoLogLayout.OP_AND, mask)) {
            resultKnown[size - 1] = true;
            results[size - 1] = current & mask;
        }
    }

    /** Collects an entry; true when the log had no entry for {@code target} before. */
    private boolean add(long target, int opcode, long operand) {
        if ((target & RedoLogLayout.OP_MASK) != 0 || target < 0 || target > medium.size() - Long.BYTES) {
            throw new IllegalArgumentException("redo target must be an 8-aligned offset inside the medium, target="
                    + target + " mediumSize=" + medium.size());
        }
        if (!indexed) {
            if (size < LINEAR_ENTRIES) {
                return addScanning(target, opcode, operand);
            }
            buildIndex();
        }
        int slot = (int) mix(target) & indexMask;
        while (indexKeys[slot] != -1L) {
            if (indexKeys[slot] == target) {
                final int at = indexSlots[slot];
                if (RedoLogLayout.opcode(words[at]) == opcode) {
                    operands[at] = merge(opcode, operands[at], operand);
                    resultKnown[at] = false;
                    return false;
                }
                indexSlots[slot] = append(target, opcode, operand);
                return false;
            }
            slot = (slot + 1) & indexMask;
        }
        indexSlots[slot] = append(target, opcode, operand);
        indexKeys[slot] = target;
        usedSlots[usedSlotCount++] = slot;
        return true;
    }

    /** {@link #add} for a short log: the latest entry for {@code target}, found by a backward scan. */
    private boolean addScanning(long target, int opcode, long operand) {
        for (int at = size - 1; at >= 0; at--) {
            if (RedoLogLayout.target(words[at]) == target) {
                if (RedoLogLayout.opcode(words[at]) == opcode) {
                    operands[at] = merge(opcode, operands[at], operand);
                    resultKnown[at] = false;
                } else {
                    append(target, opcode, operand);
                }
                return false;
            }
        }
        append(target, opcode, operand);
        return true;
    }

    /** Indexes every entry, each target at its latest entry. */
    private void buildIndex() {
        for (int at = 0; at < size; at++) {
            final long target = RedoLogLayout.target(words[at]);
            int slot = (int) mix(target) & indexMask;
            while (indexKeys[slot] != -1L && indexKeys[slot] != target) {
                slot = (slot + 1) & indexMask;
            }
            if (indexKeys[slot] == -1L) {
                indexKeys[slot] = target;
                usedSlots[usedSlotCount++] = slot;
            }
            indexSlots[slot] = at;
        }
        indexed = true;
    }

    private int append(long target, int opcode, long operand) {
        if (size + witnessCount == capacity) {
            throw full();
        }
        words[size] = RedoLogLayout.packEntry(target, opcode);
        operands[size] = operand;
        resultKnown[size] = false;
        return size++;
    }

    /**
     * True when a collected word entry targets a byte of a witnessed range. Applying such a log would
     * change what it witnessed, and a crash during the apply would then discard a committed log
     * half-applied: the caller must {@link #dropWitnesses drop} the witnesses and drain instead.
     */
    boolean witnessesTouched() {
        for (int j = 0; j < witnessCount; j++) {
            final long start = RedoLogLayout.target(witnessWords[j]);
            final long end = start + RedoLogLayout.witnessLength(witnessOperands[j]);
            for (int i = 0; i < size; i++) {
                final long target = RedoLogLayout.target(words[i]);
                if (target < end && start < target + Long.BYTES) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets the witnesses collected so far; the word entries stay. */
    void dropWitnesses() {
        witnessCount = 0;
    }

    private IllegalStateException full() {
        return new IllegalStateException("redo log full: capacity=" + capacity + " entries at offset=" + offset
                + "; publish fewer objects at once or give the lane a larger redo log");
    }

    private static long merge(int opcode, long old, long operand) {
        return switch (opcode) {
            case RedoLogLayout.OP_OR -> old | operand;
            case RedoLogLayout.OP_AND -> old & operand;
            default -> operand;
        };
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** Drops the collected entries without touching the media. */
    public void discard() {
        if (indexed) {
            for (int i = 0; i < usedSlotCount; i++) {
                indexKeys[usedSlots[i]] = -1L;
            }
            usedSlotCount = 0;
            indexed = false;
        }
        size = 0;
        witnessCount = 0;
    }

    /** commit, apply, clear; for a log without word entries, only forgets its witnesses. */
    public void process() {
        if (size == 0) {
            discard();
            return;
        }
        commit();
        apply();
        clear();
    }

    /**
     * Makes the collected entries durable and the log live (one drain).
     *
     * @throws IllegalStateException if no entry was collected
     */
    public void commit() {
        final int n = size;
        if (n == 0) {
            throw new IllegalStateException("redo log commit with no entries at offset=" + offset);
        }
        final Medium m = medium;
        final long entries = RedoLogLayout.entryOffset(offset, 0);
        for (int i = 0; i < n; i++) {
            final int e = i * RedoLogLayout.ENTRY_SIZE;
            imageBuffer.putLong(e + RedoLogLayout.ENTRY_WORD_OFFSET, words[i]);
            imageBuffer.putLong(e + RedoLogLayout.ENTRY_OPERAND_OFFSET, operands[i]);
        }
        for (int i = 0; i < witnessCount; i++) {
            final int e = (n + i) * RedoLogLayout.ENTRY_SIZE;
            imageBuffer.putLong(e + RedoLogLayout.ENTRY_WORD_OFFSET, witnessWords[i]);
            imageBuffer.putLong(e + RedoLogLayout.ENTRY_OPERAND_OFFSET, witnessOperands[i]);
        }
        final int total = n + witnessCount;
        final int length = total * RedoLogLayout.ENTRY_SIZE;
        // one bulk store in entry order: the same stores, in the same order, as one putLong per word
        m.putBytes(entries, image, 0, length);
        m.flush(entries, length);
        generation = (generation + 1) & 0xFFFF;
        crc.reset();
        crc.update(image, 0, length);
        final int checksum = RedoLogLayout.mixChecksum((int) crc.getValue(), total, generation, offset);
        m.putLong(offset + RedoLogLayout.VALID_WORD_OFFSET, RedoLogLayout.packValid(checksum, total, generation));
        m.flushShared(offset + RedoLogLayout.VALID_WORD_OFFSET, Long.BYTES);
        m.drain();
    }

    /** Stores every collected word, then flushes each, one drain. */
    public void apply() {
        applyEntries(medium, words, operands, resultKnown, results, size);
    }

    /** Retires the log (valid word 0, flushed, no drain) and forgets the entries. */
    public void clear() {
        medium.putLong(offset + RedoLogLayout.VALID_WORD_OFFSET, 0L);
        medium.flushShared(offset + RedoLogLayout.VALID_WORD_OFFSET, Long.BYTES);
        discard();
    }

    /** {@code known} and {@code results}: as {@link #resultKnown} and {@link #results}, or null (recovery). */
    private static void applyEntries(Medium m, long[] words, long[] operands, boolean[] known, long[] results, int n) {
        for (int i = 0; i < n; i++) {
            final long target = RedoLogLayout.target(words[i]);
            final long value = known != null && known[i] ? results[i] : switch (RedoLogLayout.opcode(words[i])) {
                case RedoLogLayout.OP_SET -> operands[i];
                case RedoLogLayout.OP_OR -> m.getLong(target) | operands[i];
                default -> m.getLong(target) & operands[i];
            };
            m.putLong(target, value);
        }
        // All stores first, then the write-backs: a store or read-modify-write of a line whose
        // write-back is still in flight waits for it, and entries often share lines (a header's words).
        for (int i = 0; i < n; i++) {
            final long target = RedoLogLayout.target(words[i]);
            if (!lineFlushedBefore(words, i, target)) {
                m.flush(target, Long.BYTES);
            }
        }
        m.drain();
    }

    /**
     * True when an earlier entry targets the same cache line as {@code target}: its write-back already
     * covers this word, and a second one of the line would wait for the first. Logs are short.
     */
    private static boolean lineFlushedBefore(long[] words, int index, long target) {
        final long line = target & -Bits.CACHE_LINE;
        for (int j = 0; j < index; j++) {
            if ((RedoLogLayout.target(words[j]) & -Bits.CACHE_LINE) == line) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #recover} found. */
    public enum Outcome {
        /** The valid word was 0: nothing to do. */
        EMPTY,
        /** A complete log was replayed and cleared. */
        REPLAYED,
        /**
         * A torn log (checksum mismatch), or one whose witnessed ranges no longer match, was
         * discarded: its changes never happened.
         */
        DISCARDED
    }

    /**
     * Replays a live log idempotently or discards a torn one (or one whose witnessed ranges no longer
     * match: {@link #witness}), then clears it (persisted). Every entry is validated before any is
     * applied: its opcode, alignment and target (for a witness, its whole range), which must lie in
     * {@code [minTarget, maxTarget)}; an invalid entry under a matching checksum is corruption.
     * Call it for every lane before {@link PersistentHeap#open}.
     *
     * @throws dev.engram.pool.PoolCorruptedException naming the entry's offset, expected and actual
     *
     * @param medium        the medium the log lives on
     * @param offset        pool offset of the log region
     * @param capacityBytes bytes in the region
     * @param minTarget     lowest pool offset an entry may target (the heap's start)
     * @param maxTarget     end of the targetable range, exclusive (the heap's end)
     * @return what was found and done
     */
    public static Outcome recover(Medium medium, long offset, long capacityBytes, long minTarget, long maxTarget) {
        final int capacity = RedoLogLayout.capacityEntries(capacityBytes);
        final long valid = medium.getLong(offset + RedoLogLayout.VALID_WORD_OFFSET);
        if (valid == 0) {
            return Outcome.EMPTY;
        }
        final int n = RedoLogLayout.count(valid);
        if (n < 1 || n > capacity) {
            clearPersist(medium, offset);
            return Outcome.DISCARDED;
        }
        final long entries = RedoLogLayout.entryOffset(offset, 0);
        final long length = (long) n * RedoLogLayout.ENTRY_SIZE;
        final int expected = RedoLogLayout.mixChecksum(medium.crc32c(entries, length), n,
                RedoLogLayout.generation(valid), offset);
        if (expected != RedoLogLayout.checksum(valid)) {
            clearPersist(medium, offset);
            return Outcome.DISCARDED;
        }
        final long[] words = new long[n];
        final long[] operands = new long[n];
        final long hi = Math.min(maxTarget, medium.size());
        int applied = 0;
        boolean witnessed = true;
        for (int i = 0; i < n; i++) {
            final long e = entries + (long) i * RedoLogLayout.ENTRY_SIZE;
            final long word = medium.getLong(e + RedoLogLayout.ENTRY_WORD_OFFSET);
            final long operand = medium.getLong(e + RedoLogLayout.ENTRY_OPERAND_OFFSET);
            final int op = RedoLogLayout.opcode(word);
            final long target = RedoLogLayout.target(word);
            if (op < RedoLogLayout.OP_SET || op > RedoLogLayout.OP_CHECK) {
                throw new Corruption("redo log entry " + i, e, "opcode 1..4", "opcode " + op).toException();
            }
            final long span = op == RedoLogLayout.OP_CHECK ? RedoLogLayout.witnessLength(operand) : Long.BYTES;
            if (target < minTarget || span < 1 || target > hi - span) {
                throw new Corruption("redo log entry " + i, e, "target in [" + minTarget + ", " + hi + ")",
                        "target " + target + (op == RedoLogLayout.OP_CHECK ? " witnessing " + span + " bytes" : ""))
                        .toException();
            }
            if (op == RedoLogLayout.OP_CHECK) {
                // every entry is validated before this verdict is used, and nothing is applied yet
                witnessed &= medium.crc32c(target, span) == RedoLogLayout.witnessCrc(operand);
            } else {
                words[applied] = word;
                operands[applied] = operand;
                applied++;
            }
        }
        if (!witnessed) {
            clearPersist(medium, offset);
            return Outcome.DISCARDED;
        }
        applyEntries(medium, words, operands, null, null, applied);
        clearPersist(medium, offset);
        return Outcome.REPLAYED;
    }

    /**
     * True when the log's valid word is non-zero (a commit is durable or in flight).
     *
     * @param medium the medium the log lives on
     * @param offset pool offset of the log region
     * @return whether recovery would replay or discard something
     */
    public static boolean isLive(Medium medium, long offset) {
        return medium.getLong(offset + RedoLogLayout.VALID_WORD_OFFSET) != 0;
    }

    private static void clearPersist(Medium medium, long offset) {
        medium.putLongPersist(offset + RedoLogLayout.VALID_WORD_OFFSET, 0L);
    }
}
