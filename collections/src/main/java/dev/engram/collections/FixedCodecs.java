package dev.engram.collections;

import dev.engram.pool.medium.Medium;
import dev.engram.pool.medium.MediumReader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * The fixed-width codecs behind {@link Codec}'s factories. Encodings are big-endian so that byte order
 * is value order. Besides the array methods of {@link Codec}, each reads and writes its encoding in
 * place on the medium ({@link Fixed#read}, {@link Fixed#write}) and, when at most 8 bytes wide,
 * gives it as one word ({@link Fixed#word}): the collections' lookups and stores then need no
 * intermediate array. The medium is little-endian, so a big-endian field is read with a byte swap.
 */
final class FixedCodecs {
    private static final long SIGN = Long.MIN_VALUE;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE_SEGMENT = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE_SEGMENT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE_SEGMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FixedCodecs() {
    }

    static void putLongBE(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLongBE(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    abstract static class Fixed<T> implements Codec<T> {
        private final String descriptor;
        private final Class<T> type;
        private final int width;

        Fixed(String descriptor, Class<T> type, int width) {
            this.descriptor = descriptor;
            this.type = type;
            this.width = width;
        }

        @Override
        public final String descriptor() {
            return descriptor;
        }

        @Override
        public final Class<T> type() {
            return type;
        }

        @Override
        public final int width() {
            return width;
        }

        @Override
        public boolean orderPreserving() {
            return true;
        }

        @Override
        public String toString() {
            return "Codec[" + descriptor + "]";
        }

        /**
         * Decodes the {@link #width()} bytes at pool offset {@code at} straight from the medium. The
         * bytes may be torn (an optimistic reader's): an invalid encoding is an
         * {@link IllegalStateException}, as from {@link #decode}.
         */
        abstract T read(MediumReader medium, long at);

        /** {@link #read(MediumReader, long)} from a read-only view of the medium; {@code at} is relative to it. */
        T read(MemorySegment in, long at) {
            byte[] b = new byte[width];
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, at, b, 0, width);
            return decode(b, 0);
        }

        /**
         * Throws what {@link #encode} would throw for {@code value}, writing nothing: called before
         * a transaction so that a bad value never aborts one. Not null-checked here.
         */
        void check(T value) {
        }

        /**
         * Writes the {@link #width()}-byte encoding at pool offset {@code at}; {@link #check} passed.
         * The caller saved the range in its transaction.
         */
        void write(Medium medium, long at, T value) {
            byte[] b = new byte[width];
            encode(value, b, 0);
            medium.putBytes(at, b, 0, width);
        }

        /**
         * The encoding as a little-endian word, zero above {@link #width()} bytes: the 8 bytes a
         * little-endian read at the encoding's first byte gives, masked to the width. Codecs at most
         * 8 bytes wide only.
         */
        long word(T value) {
            byte[] b = new byte[Long.BYTES];
            encode(value, b, 0);
            return (long) LONG_LE.get(b, 0);
        }
    }

    static final Codec<Long> LONG = new Fixed<>("i64", Long.class, 8) {
        @Override
        public void encode(Long value, byte[] dst, int offset) {
            putLongBE(dst, offset, value ^ SIGN);
        }

        @Override
        public Long decode(byte[] src, int offset) {
            return getLongBE(src, offset) ^ SIGN;
        }

        @Override
        Long read(MediumReader medium, long at) {
            return Long.reverseBytes(medium.getLong(at)) ^ SIGN;
        }

        @Override
        Long read(MemorySegment in, long at) {
            return Long.reverseBytes(in.get(LONG_LE_SEGMENT, at)) ^ SIGN;
        }

        @Override
        void write(Medium medium, long at, Long value) {
            medium.putLong(at, word(value));
        }

        @Override
        long word(Long value) {
            return Long.reverseBytes(value ^ SIGN);
        }
    };

    static final Codec<Integer> INT = new Fixed<>("i32", Integer.class, 4) {
        @Override
        public void encode(Integer value, byte[] dst, int offset) {
            int v = value ^ Integer.MIN_VALUE;
            dst[offset] = (byte) (v >>> 24);
            dst[offset + 1] = (byte) (v >>> 16);
            dst[offset + 2] = (byte) (v >>> 8);
            dst[offset + 3] = (byte) v;
        }

        @Override
        public Integer decode(byte[] src, int offset) {
            int v = (src[offset] & 0xFF) << 24 | (src[offset + 1] & 0xFF) << 16 | (src[offset + 2] & 0xFF) << 8
                    | (src[offset + 3] & 0xFF);
            return v ^ Integer.MIN_VALUE;
        }

        @Override
        Integer read(MediumReader medium, long at) {
            return Integer.reverseBytes(medium.getInt(at)) ^ Integer.MIN_VALUE;
        }

        @Override
        Integer read(MemorySegment in, long at) {
            return Integer.reverseBytes(in.get(INT_LE_SEGMENT, at)) ^ Integer.MIN_VALUE;
        }

        @Override
        void write(Medium medium, long at, Integer value) {
            medium.putInt(at, Integer.reverseBytes(value ^ Integer.MIN_VALUE));
        }

        @Override
        long word(Integer value) {
            return Integer.reverseBytes(value ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
        }
    };

    static final Codec<Double> DOUBLE = new Fixed<>("f64", Double.class, 8) {
        @Override
        public void encode(Double value, byte[] dst, int offset) {
            long bits = Double.doubleToLongBits(value);
            putLongBE(dst, offset, bits < 0 ? ~bits : bits ^ SIGN);
        }

        @Override
        public Double decode(byte[] src, int offset) {
            long v = getLongBE(src, offset);
            return Double.longBitsToDouble(v < 0 ? v ^ SIGN : ~v);
        }

        @Override
        Double read(MediumReader medium, long at) {
            long v = Long.reverseBytes(medium.getLong(at));
            return Double.longBitsToDouble(v < 0 ? v ^ SIGN : ~v);
        }

        @Override
        Double read(MemorySegment in, long at) {
            long v = Long.reverseBytes(in.get(LONG_LE_SEGMENT, at));
            return Double.longBitsToDouble(v < 0 ? v ^ SIGN : ~v);
        }

        @Override
        void write(Medium medium, long at, Double value) {
            medium.putLong(at, word(value));
        }

        @Override
        long word(Double value) {
            long bits = Double.doubleToLongBits(value);
            return Long.reverseBytes(bits < 0 ? ~bits : bits ^ SIGN);
        }
    };

    static final Codec<Boolean> BOOLEAN = new Fixed<>("bool", Boolean.class, 1) {
        @Override
        public void encode(Boolean value, byte[] dst, int offset) {
            dst[offset] = (byte) (value ? 1 : 0);
        }

        @Override
        public Boolean decode(byte[] src, int offset) {
            return src[offset] != 0;
        }

        @Override
        Boolean read(MediumReader medium, long at) {
            return medium.getByte(at) != 0;
        }

        @Override
        Boolean read(MemorySegment in, long at) {
            return in.get(ValueLayout.JAVA_BYTE, at) != 0;
        }

        @Override
        void write(Medium medium, long at, Boolean value) {
            medium.putByte(at, (byte) (value ? 1 : 0));
        }

        @Override
        long word(Boolean value) {
            return value ? 1 : 0;
        }
    };

    static final Codec<UUID> UUID_CODEC = new Fixed<>("uuid", UUID.class, 16) {
        @Override
        public void encode(UUID value, byte[] dst, int offset) {
            putLongBE(dst, offset, value.getMostSignificantBits() ^ SIGN);
            putLongBE(dst, offset + 8, value.getLeastSignificantBits() ^ SIGN);
        }

        @Override
        public UUID decode(byte[] src, int offset) {
            return new UUID(getLongBE(src, offset) ^ SIGN, getLongBE(src, offset + 8) ^ SIGN);
        }

        @Override
        UUID read(MediumReader medium, long at) {
            return new UUID(Long.reverseBytes(medium.getLong(at)) ^ SIGN, Long.reverseBytes(medium.getLong(at + 8)) ^ SIGN);
        }

        @Override
        UUID read(MemorySegment in, long at) {
            return new UUID(Long.reverseBytes(in.get(LONG_LE_SEGMENT, at)) ^ SIGN,
                    Long.reverseBytes(in.get(LONG_LE_SEGMENT, at + 8)) ^ SIGN);
        }

        @Override
        void write(Medium medium, long at, UUID value) {
            medium.putLong(at, Long.reverseBytes(value.getMostSignificantBits() ^ SIGN));
            medium.putLong(at + 8, Long.reverseBytes(value.getLeastSignificantBits() ^ SIGN));
        }
    };

    /** {@code maxChars} big-endian UTF-16 chars, zero padded, then the length (2 bytes, big-endian). */
    static final class StringCodec extends Fixed<String> {
        private final int maxChars;

        StringCodec(int maxChars) {
            super("str:" + checkMax(maxChars, 0x7FFF, "maxChars"), String.class, 2 * maxChars + 2);
            this.maxChars = maxChars;
        }

        @Override
        void check(String value) {
            int n = value.length();
            if (n > maxChars) {
                throw new IllegalArgumentException("string of " + n + " chars is longer than the codec's maxChars=" + maxChars);
            }
        }

        @Override
        public void encode(String value, byte[] dst, int offset) {
            check(value);
            int n = value.length();
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                dst[offset + 2 * i] = (byte) (c >>> 8);
                dst[offset + 2 * i + 1] = (byte) c;
            }
            java.util.Arrays.fill(dst, offset + 2 * n, offset + 2 * maxChars, (byte) 0);
            dst[offset + 2 * maxChars] = (byte) (n >>> 8);
            dst[offset + 2 * maxChars + 1] = (byte) n;
        }

        @Override
        public String decode(byte[] src, int offset) {
            int n = (src[offset + 2 * maxChars] & 0xFF) << 8 | (src[offset + 2 * maxChars + 1] & 0xFF);
            if (n > maxChars) {
                throw new IllegalStateException("stored string length " + n + " exceeds maxChars=" + maxChars);
            }
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = (char) ((src[offset + 2 * i] & 0xFF) << 8 | (src[offset + 2 * i + 1] & 0xFF));
            }
            return new String(chars);
        }

        @Override
        String read(MediumReader medium, long at) {
            int n = Short.toUnsignedInt(Short.reverseBytes(medium.getShort(at + 2L * maxChars)));
            if (n > maxChars) {
                throw new IllegalStateException("stored string length " + n + " exceeds maxChars=" + maxChars);
            }
            byte[] b = new byte[2 * n];
            medium.getBytes(at, b, 0, b.length);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = (char) ((b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF));
            }
            return new String(chars);
        }
    }

    /** {@code maxLength} bytes zero padded, then the length (4 bytes, big-endian). */
    static final class BytesCodec extends Fixed<byte[]> {
        private final int maxLength;

        BytesCodec(int maxLength) {
            super("bytes:" + checkMax(maxLength, 1 << 20, "maxLength"), byte[].class, maxLength + 4);
            this.maxLength = maxLength;
        }

        @Override
        void check(byte[] value) {
            if (value.length > maxLength) {
                throw new IllegalArgumentException("byte array of " + value.length
                        + " bytes is longer than the codec's maxLength=" + maxLength);
            }
        }

        @Override
        public void encode(byte[] value, byte[] dst, int offset) {
            check(value);
            int n = value.length;
            System.arraycopy(value, 0, dst, offset, n);
            java.util.Arrays.fill(dst, offset + n, offset + maxLength, (byte) 0);
            int at = offset + maxLength;
            dst[at] = (byte) (n >>> 24);
            dst[at + 1] = (byte) (n >>> 16);
            dst[at + 2] = (byte) (n >>> 8);
            dst[at + 3] = (byte) n;
        }

        @Override
        public byte[] decode(byte[] src, int offset) {
            int at = offset + maxLength;
            int n = (src[at] & 0xFF) << 24 | (src[at + 1] & 0xFF) << 16 | (src[at + 2] & 0xFF) << 8 | (src[at + 3] & 0xFF);
            if (n < 0 || n > maxLength) {
                throw new IllegalStateException("stored byte-array length " + n + " is not 0.." + maxLength);
            }
            return java.util.Arrays.copyOfRange(src, offset, offset + n);
        }

        @Override
        byte[] read(MemorySegment in, long at) {
            int n = Integer.reverseBytes(in.get(INT_LE_SEGMENT, at + maxLength));
            if (n < 0 || n > maxLength) {
                throw new IllegalStateException("stored byte-array length " + n + " is not 0.." + maxLength);
            }
            byte[] b = n == maxLength ? new byte[maxLength] : new byte[n];
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, at, b, 0, n);
            return b;
        }

        @Override
        byte[] read(MediumReader medium, long at) {
            int n = Integer.reverseBytes(medium.getInt(at + maxLength));
            if (n < 0 || n > maxLength) {
                throw new IllegalStateException("stored byte-array length " + n + " is not 0.." + maxLength);
            }
            // A full-length array is allocated at a constant size: the next allocation's address
            // then waits on a predicted branch, not on the length's load (often a cache miss).
            byte[] b = n == maxLength ? new byte[maxLength] : new byte[n];
            medium.getBytes(at, b, 0, n);
            return b;
        }

        @Override
        void write(Medium medium, long at, byte[] value) {
            int n = value.length;
            medium.putBytes(at, value, 0, n);
            if (n < maxLength) {
                medium.fill(at + n, maxLength - n, (byte) 0);
            }
            medium.putInt(at + maxLength, Integer.reverseBytes(n));
        }
    }

    static int checkMax(int value, int limit, String name) {
        if (value <= 0 || value > limit) {
            throw new IllegalArgumentException(name + " must be 1.." + limit + ", " + name + "=" + value);
        }
        return value;
    }
}
