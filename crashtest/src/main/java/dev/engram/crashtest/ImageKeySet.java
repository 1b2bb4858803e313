package dev.engram.crashtest;

/**
 * A set of 128-bit image keys (open addressing, linear probing), so that deduplication costs no
 * object per image. The pair (0, 0) is the empty-slot sentinel and is tracked by a flag instead.
 */
final class ImageKeySet {
    private long[] keys = new long[2 * 1024];
    private int size;
    private boolean hasZero;

    /** Adds the key; returns false if it was already present. */
    boolean add(long a, long b) {
        if (a == 0 && b == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2 > keys.length / 2) {
            rehash();
        }
        return insert(keys, a, b);
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private boolean insert(long[] table, long a, long b) {
        int mask = (table.length >> 1) - 1;
        int slot = (int) CrashImage.mix(a ^ b) & mask;
        while (true) {
            long ka = table[slot << 1];
            long kb = table[(slot << 1) + 1];
            if (ka == 0 && kb == 0) {
                table[slot << 1] = a;
                table[(slot << 1) + 1] = b;
                size++;
                return true;
            }
            if (ka == a && kb == b) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void rehash() {
        long[] old = keys;
        keys = new long[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                insert(keys, old[i], old[i + 1]);
            }
        }
    }
}
