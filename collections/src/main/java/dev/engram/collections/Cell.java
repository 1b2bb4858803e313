package dev.engram.collections;

import dev.engram.pool.PoolCorruptedException;
import dev.engram.pool.medium.Medium;
import dev.engram.tx.Transaction;
import dev.engram.tx.TxEngine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Where one codec value lives inside a slot or node entry. A fixed-width codec's encoding is the
 * cell itself ({@link #width()} = codec width). A variable codec's cell is the 8-byte pool offset
 * of a {@link BlockTypes#BLOB} block: {@code int32 length | bytes}.
 *
 * <p>{@link #prepare} encodes outside any transaction (so a bad value never aborts the caller's
 * transaction); {@link #store} writes the prepared bytes inside one. {@link #stage} and
 * {@link #store(Transaction, long, Object, byte[])} are the same pair without the intermediate array
 * for the built-in fixed-width codecs: {@code stage} only checks the value, the store encodes it in
 * place. The caller has saved the cell's range in the transaction before a store and
 * {@link #release}. Built-in fixed-width codecs are also read in place ({@link #read}), and those of
 * 1, 2, 4 or 8 bytes compare as one word ({@link #wordSized}). Thread safety: stateless apart from
 * per-thread scratch; callers hold the collection's locks.
 */
final class Cell<T> {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int LENGTH_PREFIX = Integer.BYTES;

    final Codec<T> codec;
    final boolean inline;
    final int width;
    /** The codec when it is a built-in fixed-width one (read and written in place), else null. */
    private final FixedCodecs.Fixed<T> fixed;
    /** Built-in codec 1, 2, 4 or 8 bytes wide: {@link #word} and {@link #matchesWord} apply. */
    final boolean wordSized;
    private final Medium medium;
    private final TxEngine engine;
    private final ThreadLocal<byte[]> scratch;

    Cell(Codec<T> codec, TxEngine engine) {
        this.codec = codec;
        this.engine = engine;
        this.medium = engine.medium();
        this.inline = codec.width() != Codec.VARIABLE;
        this.width = inline ? codec.width() : Long.BYTES;
        this.fixed = codec instanceof FixedCodecs.Fixed<T> f ? f : null;
        this.wordSized = fixed != null && (width == 1 || width == 2 || width == 4 || width == 8);
        final int w = width;
        this.scratch = ThreadLocal.withInitial(() -> new byte[w]);
    }

    /** The bytes {@link #store} will write: the encoding (inline) or the blob's content (variable). */
    byte[] prepare(T value) {
        if (value == null) {
            throw new NullPointerException("persistent collections do not hold null keys or values");
        }
        if (inline) {
            byte[] b = new byte[width];
            codec.encode(value, b, 0);
            return b;
        }
        return codec.encodeVariable(value);
    }

    /**
     * What {@link #store(Transaction, long, Object, byte[])} needs besides the value: null for a
     * built-in fixed-width codec (after checking that the value encodes), else {@link #prepare}'s
     * bytes. Outside any transaction, like {@link #prepare}.
     */
    byte[] stage(T value) {
        if (value == null) {
            throw new NullPointerException("persistent collections do not hold null keys or values");
        }
        if (fixed != null) {
            fixed.check(value);
            return null;
        }
        return prepare(value);
    }

    /** Stores {@code value} as {@link #stage} prepared it: encoded in place when {@code staged} is null. */
    void store(Transaction tx, long at, T value, byte[] staged) {
        if (staged == null) {
            fixed.write(medium, at, value);
        } else {
            store(tx, at, staged);
        }
    }

    /** The encoding as one little-endian word ({@link #wordSized} cells only). */
    long word(T value) {
        return fixed.word(value);
    }

    /** True when the cell holds the encoding whose word is {@code word} ({@link #wordSized} cells only). */
    boolean matchesWord(long at, long word) {
        return switch (width) {
            case Long.BYTES -> medium.getLong(at) == word;
            case Integer.BYTES -> (medium.getInt(at) & 0xFFFF_FFFFL) == word;
            case Short.BYTES -> (medium.getShort(at) & 0xFFFFL) == word;
            default -> (medium.getByte(at) & 0xFFL) == word;
        };
    }

    /** {@link #matchesWord} on a read-only view of the medium ({@link SegmentLock#slots}). */
    boolean matchesWord(MemorySegment in, long at, long word) {
        return switch (width) {
            case Long.BYTES -> in.get(FixedCodecs.LONG_LE_SEGMENT, at) == word;
            case Integer.BYTES -> (in.get(FixedCodecs.INT_LE_SEGMENT, at) & 0xFFFF_FFFFL) == word;
            case Short.BYTES -> (in.get(FixedCodecs.SHORT_LE_SEGMENT, at) & 0xFFFFL) == word;
            default -> (in.get(ValueLayout.JAVA_BYTE, at) & 0xFFL) == word;
        };
    }

    /** {@link #read} from a read-only view of the medium (inline cells only). */
    T read(MemorySegment in, long at) {
        if (fixed != null) {
            return fixed.read(in, at);
        }
        byte[] b = new byte[width];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, at, b, 0, width);
        return codec.decode(b, 0);
    }

    /** {@link #prepare} into this thread's scratch buffer (inline codecs only): for lookups. */
    byte[] prepareScratch(T value, byte[] into) {
        codec.encode(value, into, 0);
        return into;
    }

    void store(Transaction tx, long at, byte[] prepared) {
        if (inline) {
            medium.putBytes(at, prepared, 0, width);
            return;
        }
        long blob = tx.alloc(LENGTH_PREFIX + prepared.length, BlockTypes.BLOB);
        medium.putInt(blob, prepared.length);
        medium.putBytes(blob + LENGTH_PREFIX, prepared, 0, prepared.length);
        medium.putLong(at, blob);
    }

    /** Frees what the cell owns (a blob) at commit. */
    void release(Transaction tx, long at) {
        if (!inline) {
            long blob = medium.getLong(at);
            if (blob != 0) {
                tx.free(blob);
            }
        }
    }

    /** The blob a variable cell points to, or 0. */
    long blob(long at) {
        return inline ? 0 : medium.getLong(at);
    }

    T read(long at) {
        if (fixed != null) {
            return fixed.read(medium, at);
        }
        if (inline) {
            byte[] b = scratch.get();
            medium.getBytes(at, b, 0, width);
            return codec.decode(b, 0);
        }
        byte[] b = blobBytes(at);
        return codec.decodeVariable(b, 0, b.length);
    }

    /** Copies the cell's raw bytes into {@code dst} (inline cells). */
    void readRaw(long at, byte[] dst, int offset) {
        medium.getBytes(at, dst, offset, width);
    }

    private byte[] blobBytes(long at) {
        long blob = medium.getLong(at);
        long usable = engine.heap().usableSize(blob);
        int length = medium.getInt(blob);
        if (length < 0 || length > usable - LENGTH_PREFIX) {
            throw new PoolCorruptedException("collection blob at offset=" + blob + " records length " + length
                    + ", expected 0.." + (usable - LENGTH_PREFIX));
        }
        byte[] b = new byte[length];
        medium.getBytes(blob + LENGTH_PREFIX, b, 0, length);
        return b;
    }

    /** True when the cell holds exactly {@code prepared}. */
    boolean matches(long at, byte[] prepared) {
        if (inline) {
            // Word by word straight from the medium: no scratch copy on the lookup path.
            int i = 0;
            for (; i + Long.BYTES <= width; i += Long.BYTES) {
                if (medium.getLong(at + i) != (long) LONG_LE.get(prepared, i)) {
                    return false;
                }
            }
            for (; i < width; i++) {
                if (medium.getByte(at + i) != prepared[i]) {
                    return false;
                }
            }
            return true;
        }
        return Arrays.equals(blobBytes(at), prepared);
    }
}
