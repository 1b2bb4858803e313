package dev.engram.collections;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo serialization with registration required: only the classes named at construction (and
 * Kryo's built-in primitives and String) are ever instantiated from pool bytes.
 */
final class KryoCodec<T> implements Codec<T> {
    private final Class<T> type;
    private final String descriptor;
    private final ThreadLocal<Kryo> kryo;

    KryoCodec(Class<T> type, Class<?>... others) {
        this.type = type;
        StringBuilder d = new StringBuilder("kryo:").append(type.getName());
        for (Class<?> c : others) {
            d.append(',').append(c.getName());
        }
        this.descriptor = d.toString();
        Class<?>[] registered = others.clone();
        this.kryo = ThreadLocal.withInitial(() -> {
            Kryo k = new Kryo();
            k.setRegistrationRequired(true);
            k.register(type);
            for (Class<?> c : registered) {
                k.register(c);
            }
            return k;
        });
    }

    @Override
    public String descriptor() {
        return descriptor;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public int width() {
        return VARIABLE;
    }

    @Override
    public boolean orderPreserving() {
        return false;
    }

    @Override
    public void encode(T value, byte[] dst, int offset) {
        throw new UnsupportedOperationException("kryo codec is variable-width: use encodeVariable");
    }

    @Override
    public T decode(byte[] src, int offset) {
        throw new UnsupportedOperationException("kryo codec is variable-width: use decodeVariable");
    }

    @Override
    public byte[] encodeVariable(T value) {
        Output out = new Output(64, -1);
        try {
            kryo.get().writeObject(out, value);
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " with " + descriptor + ": " + e.getMessage(), e);
        }
        return out.toBytes();
    }

    @Override
    public T decodeVariable(byte[] src, int offset, int length) {
        try {
            return kryo.get().readObject(new Input(src, offset, length), type);
        } catch (KryoException e) {
            throw new CodecMismatchException("stored bytes cannot be read as " + descriptor + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Codec[" + descriptor + "]";
    }
}
