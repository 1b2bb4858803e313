package dev.engram.collections;

import java.util.UUID;

/** The fixed-width codecs behind {@link Codec}'s factories. Encodings are big-endian so that byte order is value order. */
final class FixedCodecs {
    private static final long SIGN = Long.MIN_VALUE;

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
    };

    /** {@code maxChars} big-endian UTF-16 chars, zero padded, then the length (2 bytes, big-endian). */
    static final class StringCodec extends Fixed<String> {
        private final int maxChars;

        StringCodec(int maxChars) {
            super("str:" + checkMax(maxChars, 0x7FFF, "maxChars"), String.class, 2 * maxChars + 2);
            this.maxChars = maxChars;
        }

        @Override
        public void encode(String value, byte[] dst, int offset) {
            int n = value.length();
            if (n > maxChars) {
                throw new IllegalArgumentException("string of " + n + " chars is longer than the codec's maxChars=" + maxChars);
            }
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
    }

    /** {@code maxLength} bytes zero padded, then the length (4 bytes, big-endian). */
    static final class BytesCodec extends Fixed<byte[]> {
        private final int maxLength;

        BytesCodec(int maxLength) {
            super("bytes:" + checkMax(maxLength, 1 << 20, "maxLength"), byte[].class, maxLength + 4);
            this.maxLength = maxLength;
        }

        @Override
        public void encode(byte[] value, byte[] dst, int offset) {
            int n = value.length;
            if (n > maxLength) {
                throw new IllegalArgumentException("byte array of " + n + " bytes is longer than the codec's maxLength=" + maxLength);
            }
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
    }

    static int checkMax(int value, int limit, String name) {
        if (value <= 0 || value > limit) {
            throw new IllegalArgumentException(name + " must be 1.." + limit + ", " + name + "=" + value);
        }
        return value;
    }
}
