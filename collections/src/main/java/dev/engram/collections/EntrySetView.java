package dev.engram.collections;

import java.util.AbstractMap.SimpleEntry;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code entrySet()} view both persistent maps hand out: every read and removal goes through the
 * map, so it sees and makes the same transactional changes. Null keys and values are never in a
 * persistent map, so an entry holding one is never contained.
 */
final class EntrySetView<K, V> extends AbstractSet<Map.Entry<K, V>> {
    private final Map<K, V> map;
    private final Supplier<Iterator<Map.Entry<K, V>>> iterators;

    EntrySetView(Map<K, V> map, Supplier<Iterator<Map.Entry<K, V>>> iterators) {
        this.map = map;
        this.iterators = iterators;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return iterators.get();
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
            return false;
        }
        V v = map.get(e.getKey());
        return v != null && v.equals(e.getValue());
    }

    @Override
    public boolean remove(Object o) {
        return o instanceof Map.Entry<?, ?> e && e.getKey() != null && map.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
        map.clear();
    }

    /**
     * An iterator's entry whose {@code setValue} writes through to the map.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    static final class WriteThroughEntry<K, V> extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        private final transient Map<K, V> map;

        WriteThroughEntry(Map<K, V> map, K key, V value) {
            super(key, value);
            this.map = map;
        }

        @Override
        public V setValue(V value) {
            map.put(getKey(), value);
            return super.setValue(value);
        }
    }
}
