package dev.engram.collections;

import java.util.UUID;

/**
 * How a persistent collection stores one key or value. Most codecs are <b>fixed-width</b>: the value
 * is encoded into exactly {@link #width()} bytes stored inline in the collection's node or slot.
 * {@link #kryo} is <b>variable</b> ({@link #width()} = {@link #VARIABLE}): the bytes live in a heap
 * block of their own and the slot holds its 8-byte pool offset.
 *
 * <p>A codec whose {@link #orderPreserving()} is true encodes so that comparing encodings as
 * unsigned bytes, lexicographically, gives the natural order of the values; sorted maps then compare
 * keys without decoding them. Equal values have equal encodings for every codec here (hash maps
 * compare keys in encoded form).
 *
 * <p>{@link #descriptor()} is recorded in the pool when a collection is created and compared when
 * it is opened again: a mismatch is a {@link CodecMismatchException}.
 *
 * <p>Thread safety: codecs are immutable and may be shared.
 *
 * @param <T> the type of the values encoded
 */
public interface Codec<T> {
    /** {@link #width()} of a codec whose encodings vary in length. */
    int VARIABLE = -1;

    /**
     * Stable name of the format, recorded in the pool: {@code "i64"}, {@code "str:16"}, ...
     *
     * @return the descriptor; two codecs with the same descriptor read each other's bytes
     */
    String descriptor();

    /**
     * Java type of the values.
     *
     * @return the class of the values
     */
    Class<T> type();

    /**
     * Bytes of every encoding, or {@link #VARIABLE}.
     *
     * @return the encoding's length in bytes, or {@link #VARIABLE}
     */
    int width();

    /**
     * True when unsigned lexicographic order of encodings is the natural order of the values.
     *
     * @return whether encodings sort like the values
     */
    boolean orderPreserving();

    /**
     * Writes exactly {@link #width()} bytes at {@code dst[offset]}; fixed-width codecs only.
     *
     * @param value  the value, not null
     * @param dst    the destination array
     * @param offset index in {@code dst} of the first byte written
     * @throws IllegalArgumentException if the value does not fit the codec (e.g. a string longer than its maximum)
     * @throws UnsupportedOperationException if the codec is variable-width
     */
    void encode(T value, byte[] dst, int offset);

    /**
     * Reads a value from {@link #width()} bytes at {@code src[offset]}; fixed-width codecs only.
     *
     * @param src    the source array
     * @param offset index in {@code src} of the first byte
     * @return the value
     * @throws IllegalStateException if the bytes are not a valid encoding (e.g. a stored length out of range)
     * @throws UnsupportedOperationException if the codec is variable-width
     */
    T decode(byte[] src, int offset);

    /**
     * The whole encoding of a variable codec's value.
     *
     * For a fixed-width codec, the {@link #width()} bytes of {@link #encode}.
     *
     * @param value the value, not null
     * @return the encoding
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    default byte[] encodeVariable(T value) {
        byte[] b = new byte[width()];
        encode(value, b, 0);
        return b;
    }

    /**
     * Decodes {@code length} bytes of a variable codec's encoding.
     *
     * For a fixed-width codec, {@link #decode} of the bytes at {@code offset}.
     *
     * @param src    the source array
     * @param offset index in {@code src} of the first byte
     * @param length bytes of the encoding
     * @return the value
     * @throws CodecMismatchException if the bytes cannot be read with this codec
     */
    default T decodeVariable(byte[] src, int offset, int length) {
        return decode(src, offset);
    }

    /**
     * 8-byte signed longs, order-preserving (big-endian, sign bit flipped).
     *
     * @return the codec: descriptor {@code "i64"}, 8 bytes wide
     */
    static Codec<Long> int64() {
        return FixedCodecs.LONG;
    }

    /**
     * 4-byte signed ints, order-preserving.
     *
     * @return the codec: descriptor {@code "i32"}, 4 bytes wide
     */
    static Codec<Integer> int32() {
        return FixedCodecs.INT;
    }

    /**
     * 8-byte doubles, order-preserving in {@link Double#compare} order.
     *
     * @return the codec: descriptor {@code "f64"}, 8 bytes wide
     */
    static Codec<Double> float64() {
        return FixedCodecs.DOUBLE;
    }

    /**
     * 1-byte booleans, order-preserving.
     *
     * @return the codec: descriptor {@code "bool"}, 1 byte wide
     */
    static Codec<Boolean> bool() {
        return FixedCodecs.BOOLEAN;
    }

    /**
     * 16-byte UUIDs, order-preserving in {@link UUID#compareTo} order (signed halves).
     *
     * @return the codec: descriptor {@code "uuid"}, 16 bytes wide
     */
    static Codec<UUID> uuid() {
        return FixedCodecs.UUID_CODEC;
    }

    /**
     * Strings of at most {@code maxChars} UTF-16 chars, stored as big-endian chars padded with zeros
     * plus a 2-byte length: order-preserving in {@link String#compareTo} order.
     *
     * @param maxChars the longest string, 1 to 32767 chars
     * @return the codec, {@code 2 * maxChars + 2} bytes wide; longer strings are refused at encode
     * @throws IllegalArgumentException if {@code maxChars} is out of range
     */
    static Codec<String> string(int maxChars) {
        return new FixedCodecs.StringCodec(maxChars);
    }

    /**
     * Byte arrays of at most {@code maxLength} bytes; order-preserving in
     * {@link java.util.Arrays#compareUnsigned} order.
     *
     * @param maxLength the longest array, 1 byte to 1 MiB
     * @return the codec, {@code maxLength + 4} bytes wide; longer arrays are refused at encode
     * @throws IllegalArgumentException if {@code maxLength} is out of range
     */
    static Codec<byte[]> bytes(int maxLength) {
        return new FixedCodecs.BytesCodec(maxLength);
    }

    /**
     * A record whose components are encoded one after another with {@code components}, in
     * declaration order. Order-preserving when every component codec is: the order is then
     * lexicographic over the components.
     *
     * @param <R>        the record type
     * @param type       the record class, public with a public canonical constructor
     * @param components one fixed-width codec per component, matching the component types
     * @return the codec, as wide as the components together
     * @throws IllegalArgumentException if the record is not accessible, or the codecs do not match its components
     */
    static <R extends Record> Codec<R> record(Class<R> type, Codec<?>... components) {
        return new RecordCodec<>(type, components);
    }

    /**
     * Any class, serialized with Kryo (registration required): {@code type} and {@code others} are
     * registered in this order, so the descriptor records them all. Variable width, not
     * order-preserving; equal values must serialize to equal bytes when used as hash-map keys.
     *
     * @param <T>    the type of the values
     * @param type   the values' class, registered first
     * @param others further classes the values contain (fields' types), registered after it
     * @return the codec
     */
    static <T> Codec<T> kryo(Class<T> type, Class<?>... others) {
        return new KryoCodec<>(type, others);
    }
}
