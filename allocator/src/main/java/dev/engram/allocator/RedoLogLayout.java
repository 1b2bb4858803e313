package dev.engram.allocator;

import dev.engram.pool.Bits;

/**
 * Descriptor of a redo log: a region a caller hands over (for Engram, one per lane), holding a
 * valid word and entries. The log is live exactly when its valid word is non-zero and its checksum
 * matches the entries.
 *
 * <pre>
 * offset       | size | field       | unit | range / meaning
 * -------------+------+-------------+------+----------------------------------------------------
 *            0 |    8 | valid word  |      | 0 = empty; else bits 0..31 checksum, bits 32..47
 *              |      |             |      | entry count (1 .. capacity), bits 48..63 generation
 *            8 |   56 | reserved    |      | 0 (the valid word keeps a cache line to itself)
 *   64 + 16*i  |    8 | entry word  |      | bits 3..63 target pool offset (8-aligned), bits 0..2
 *              |      |             |      | opcode: {@link #OP_SET}, {@link #OP_OR}, {@link #OP_AND},
 *              |      |             |      | {@link #OP_CHECK}
 *   72 + 16*i  |    8 | operand     |      | value stored, bits OR-ed, or mask AND-ed; for a check,
 *              |      |             |      | bits 0..31 CRC32C and bits 32..63 length of the range
 * </pre>
 *
 * <p>A check entry (a witness) stores nothing: it says that the range starting at its target held,
 * when the log was committed, bytes with that CRC32C. Recovery replays a log only if every witnessed
 * range still matches, and discards it otherwise. A caller that flushed a range and commits the log
 * in the same drain (no drain of its own between them) witnesses the range: if the crash came
 * before the range was durable, the log is discarded as if it had been torn itself.
 *
 * <p>Checksum: CRC32C of the entry bytes, mixed with the count, the generation and the log's own
 * offset, so a torn commit (valid word durable, some entries not) or a stale valid word over newer
 * entries fails the check and the log is discarded. All three operations are idempotent per word,
 * so replaying a log that was partly or fully applied gives the same words.
 */
public final class RedoLogLayout {
    /** Offset in the log region of the valid word. */
    public static final int VALID_WORD_OFFSET = 0;
    /** Bytes before the first entry: the valid word and its reserved cache line. */
    public static final int HEADER_SIZE = Bits.CACHE_LINE;
    /** Bytes per entry: entry word and operand. */
    public static final int ENTRY_SIZE = 16;
    /** Offset in an entry of its entry word (target and opcode). */
    public static final int ENTRY_WORD_OFFSET = 0;
    /** Offset in an entry of its operand. */
    public static final int ENTRY_OPERAND_OFFSET = 8;
    /** Most entries a log can hold: the count field is 16 bits. */
    public static final int MAX_ENTRIES = 0xFFFF;

    /** Opcode: store the operand at the target. */
    public static final int OP_SET = 1;
    /** Opcode: OR the operand into the word at the target. */
    public static final int OP_OR = 2;
    /** Opcode: AND the operand into the word at the target. */
    public static final int OP_AND = 3;
    /** Opcode: store nothing; replay only if the witnessed range matches the operand (see the class comment). */
    public static final int OP_CHECK = 4;
    /** Bits of the entry word that hold the opcode; the target is 8-aligned, so they are free. */
    public static final long OP_MASK = 0x7;

    private RedoLogLayout() {
    }

    /**
     * {@return the pool offset of entry {@code index} of the log at {@code logOffset}}
     *
     * @param logOffset pool offset of the log region
     * @param index     the entry, from 0
     */
    public static long entryOffset(long logOffset, int index) {
        return logOffset + HEADER_SIZE + (long) index * ENTRY_SIZE;
    }

    /**
     * Entries a region of {@code capacityBytes} holds.
     *
     * @param capacityBytes bytes in the region
     * @return entries that fit, 0 to {@link #MAX_ENTRIES}
     */
    public static int capacityEntries(long capacityBytes) {
        return (int) Math.min(MAX_ENTRIES, Math.max(0, (capacityBytes - HEADER_SIZE) / ENTRY_SIZE));
    }

    /**
     * Bytes a log of {@code entries} entries needs.
     *
     * @param entries the number of entries
     * @return {@link #HEADER_SIZE} plus the entries' bytes
     */
    public static long bytesFor(int entries) {
        return HEADER_SIZE + (long) entries * ENTRY_SIZE;
    }

    /**
     * Packs an entry word; see {@link #target} and {@link #opcode}.
     *
     * @param target pool offset of the word, 8-aligned (asserted)
     * @param opcode {@link #OP_SET}, {@link #OP_OR}, {@link #OP_AND} or {@link #OP_CHECK} (asserted)
     * @return the entry word
     */
    public static long packEntry(long target, int opcode) {
        assert (target & OP_MASK) == 0 : "target must be 8-aligned: " + target;
        assert opcode >= OP_SET && opcode <= OP_CHECK : "opcode=" + opcode;
        return target | opcode;
    }

    /**
     * Packs a check entry's operand.
     *
     * @param crc    CRC32C of the witnessed range
     * @param length bytes in the range, 1 to 2^32 - 1 (asserted)
     * @return the operand
     */
    public static long packWitness(int crc, long length) {
        assert length > 0 && length <= 0xFFFF_FFFFL : "length=" + length;
        return (crc & 0xFFFF_FFFFL) | (length << 32);
    }

    /**
     * {@return the CRC32C a check entry's operand expects}
     *
     * @param operand a check entry's operand
     */
    public static int witnessCrc(long operand) {
        return (int) operand;
    }

    /**
     * {@return the length in bytes of the range a check entry's operand covers}
     *
     * @param operand a check entry's operand
     */
    public static long witnessLength(long operand) {
        return operand >>> 32;
    }

    /**
     * {@return the target pool offset packed in an entry word}
     *
     * @param entryWord an entry word
     */
    public static long target(long entryWord) {
        return entryWord & ~OP_MASK;
    }

    /**
     * {@return the opcode packed in an entry word; a value outside 1..4 means corruption}
     *
     * @param entryWord an entry word
     */
    public static int opcode(long entryWord) {
        return (int) (entryWord & OP_MASK);
    }

    /**
     * Packs the valid word; see {@link #checksum}, {@link #count}, {@link #generation}.
     *
     * @param checksum   the value of {@link #mixChecksum}
     * @param count      entries in the log, 1 to {@link #MAX_ENTRIES} (asserted)
     * @param generation the commit's generation; only its low 16 bits are kept
     * @return the valid word, never 0 since {@code count >= 1}
     */
    public static long packValid(int checksum, int count, int generation) {
        assert count >= 1 && count <= MAX_ENTRIES : "count=" + count;
        return (checksum & 0xFFFF_FFFFL) | ((long) count << 32) | ((long) (generation & 0xFFFF) << 48);
    }

    /**
     * {@return the checksum packed in a valid word}
     *
     * @param validWord a valid word
     */
    public static int checksum(long validWord) {
        return (int) validWord;
    }

    /**
     * {@return the entry count packed in a valid word}
     *
     * @param validWord a valid word
     */
    public static int count(long validWord) {
        return (int) (validWord >>> 32) & 0xFFFF;
    }

    /**
     * {@return the generation packed in a valid word (16 bits)}
     *
     * @param validWord a valid word
     */
    public static int generation(long validWord) {
        return (int) (validWord >>> 48) & 0xFFFF;
    }

    /**
     * The checksum stored in the valid word, from the CRC32C of the entry bytes.
     *
     * @param entriesCrc CRC32C of the entry bytes, {@code count * ENTRY_SIZE} of them
     * @param count      entries in the log
     * @param generation the commit's generation
     * @param logOffset  pool offset of the log region, so that a log copied elsewhere does not validate
     * @return the checksum to store
     */
    public static int mixChecksum(int entriesCrc, int count, int generation, long logOffset) {
        long x = (((long) (generation & 0xFFFF) << 16) | count) ^ (logOffset * 0x9E3779B97F4A7C15L);
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return entriesCrc ^ (int) x ^ (int) (x >>> 32);
    }
}
