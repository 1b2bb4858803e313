package dev.engram.collections;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;

/** A record encoded as its components one after another (fixed-width components only). */
final class RecordCodec<R extends Record> implements Codec<R> {
    private final Class<R> type;
    private final Codec<Object>[] components;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;
    private final int width;
    private final boolean ordered;
    private final String descriptor;

    @SuppressWarnings("unchecked")
    RecordCodec(Class<R> type, Codec<?>... codecs) {
        RecordComponent[] rc = type.getRecordComponents();
        if (rc == null || rc.length != codecs.length) {
            throw new IllegalArgumentException("record " + type.getName() + " has "
                    + (rc == null ? 0 : rc.length) + " components but " + codecs.length + " codecs were given");
        }
        this.type = type;
        this.components = new Codec[codecs.length];
        this.accessors = new MethodHandle[codecs.length];
        Class<?>[] types = new Class<?>[codecs.length];
        StringBuilder d = new StringBuilder("rec:").append(type.getName()).append('(');
        int w = 0;
        boolean o = true;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            for (int i = 0; i < rc.length; i++) {
                Codec<?> c = codecs[i];
                if (c.width() == VARIABLE) {
                    throw new IllegalArgumentException("record component " + rc[i].getName() + " needs a fixed-width codec, got " + c.descriptor());
                }
                if (box(rc[i].getType()) != c.type()) {
                    throw new IllegalArgumentException("record component " + rc[i].getName() + " is " + rc[i].getType().getName()
                            + " but its codec " + c.descriptor() + " is for " + c.type().getName());
                }
                components[i] = (Codec<Object>) c;
                accessors[i] = lookup.unreflect(rc[i].getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
                types[i] = rc[i].getType();
                w += c.width();
                o &= c.orderPreserving();
                d.append(i == 0 ? "" : ",").append(c.descriptor());
            }
            this.constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types))
                    .asSpreader(Object[].class, types.length).asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("record " + type.getName() + " must be public with a public canonical constructor: " + e, e);
        }
        this.width = w;
        this.ordered = o;
        this.descriptor = d.append(')').toString();
    }

    private static Class<?> box(Class<?> c) {
        return MethodType.methodType(c).wrap().returnType();
    }

    @Override
    public String descriptor() {
        return descriptor;
    }

    @Override
    public Class<R> type() {
        return type;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public boolean orderPreserving() {
        return ordered;
    }

    @Override
    public void encode(R value, byte[] dst, int offset) {
        int at = offset;
        try {
            for (int i = 0; i < components.length; i++) {
                components[i].encode(accessors[i].invokeExact((Object) value), dst, at);
                at += components[i].width();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read record " + type.getName() + ": " + t, t);
        }
    }

    @Override
    public R decode(byte[] src, int offset) {
        Object[] args = new Object[components.length];
        int at = offset;
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].decode(src, at);
            at += components[i].width();
        }
        try {
            return type.cast((Object) constructor.invokeExact(args));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot construct record " + type.getName() + ": " + t, t);
        }
    }

    @Override
    public String toString() {
        return "Codec[" + descriptor + "]";
    }
}
