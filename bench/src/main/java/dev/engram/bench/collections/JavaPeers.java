package dev.engram.bench.collections;

import net.openhft.chronicle.map.ChronicleMap;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The Java durable peers of issue #7, each opened in its closest durable mode on a fresh directory.
 * The {@code *_NAME} constants say which mode, and are what the report prints beside each figure.
 *
 * <p>Peer ids (the benchmarks' {@code peer} parameter): {@value #LMDB}, {@value #MAPDB},
 * {@value #MVSTORE}, {@value #CHRONICLE}.
 */
final class JavaPeers {
    static final String LMDB = "lmdb";
    static final String MAPDB = "mapdb";
    static final String MVSTORE = "mvstore";
    static final String CHRONICLE = "chronicle";

    private JavaPeers() {
    }

    /** Which of a peer's structures to open: MapDB has a hash map and a B-tree; the others have one. */
    enum Kind { HASH, SORTED }

    /**
     * Opens {@code peer} on a fresh directory under {@code parent}, sized for {@code entries} entries
     * (Chronicle Map needs its capacity up front; LMDB its map size).
     */
    static PeerMap open(String peer, Path parent, int entries, Kind kind) throws IOException {
        Path dir = Files.createTempDirectory(parent, "peer-" + peer + "-");
        try {
            return switch (peer) {
                case LMDB -> new Lmdb(dir, entries);
                case MAPDB -> new MapDb(dir, kind);
                case MVSTORE -> new MvStore(dir);
                case CHRONICLE -> new Chronicle(dir, entries);
                default -> throw new IllegalArgumentException("unknown peer '" + peer + "' (lmdb, mapdb, mvstore, chronicle)");
            };
        } catch (IOException | RuntimeException | Error e) {
            PeerMap.deleteTree(dir);
            throw e;
        }
    }

    /** Whether the peer's hash and sorted structures differ (so a read benchmark loads both). */
    static boolean separateSorted(String peer) {
        return peer.equals(MAPDB);
    }

    // ---- LMDB --------------------------------------------------------------------------------

    /**
     * lmdbjava over LMDB: one write transaction committed per put, default environment flags (no
     * MDB_NOSYNC, no MDB_WRITEMAP), so each commit writes the pages and the meta page and calls
     * fdatasync. Keys are stored big-endian with the sign bit flipped, so LMDB's byte order is the
     * signed order of {@code Long} (as in TreeMap and Engram's sorted map). Reads reuse one read
     * transaction with reset/renew, LMDB's cheapest way to start a fresh snapshot.
     */
    static final class Lmdb implements PeerMap {
        private final Path dir;
        private final Env<ByteBuffer> env;
        private final Dbi<ByteBuffer> dbi;
        private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
        private final ByteBuffer val = ByteBuffer.allocateDirect(CollectionsBenchmark.VALUE_BYTES);
        private final Txn<ByteBuffer> reader;
        private final org.lmdbjava.Cursor<ByteBuffer> cursor;

        Lmdb(Path dir, int entries) {
            this.dir = dir;
            // B-tree pages for the entries plus room for the copy-on-write pages of a commit.
            long mapSize = Math.max(64L << 20, (long) entries * 512);
            env = Env.create().setMapSize(mapSize).setMaxDbs(1).open(dir.toFile());
            dbi = env.openDbi("m", DbiFlags.MDB_CREATE);
            reader = env.txnRead();
            cursor = dbi.openCursor(reader);
            reader.reset();
        }

        private ByteBuffer key(long k) {
            key.putLong(0, k ^ Long.MIN_VALUE);
            return key;
        }

        private ByteBuffer value(byte[] v) {
            val.clear();
            val.put(v).flip();
            return val;
        }

        @Override
        public void put(long k, byte[] v) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                dbi.put(txn, key(k), value(v));
                txn.commit();
            }
        }

        @Override
        public void putAll(long[] keys, int from, int to, byte[] v) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = from; i < to; i++) {
                    dbi.put(txn, key(keys[i]), value(v));
                }
                txn.commit();
            }
        }

        @Override
        public byte[] get(long k) {
            reader.renew();
            try {
                ByteBuffer found = dbi.get(reader, key(k));
                if (found == null) {
                    return null;
                }
                byte[] out = new byte[found.remaining()];
                found.get(out);
                return out;
            } finally {
                reader.reset();
            }
        }

        @Override
        public int scan(long from, int n, Sink sink) {
            reader.renew();
            try {
                cursor.renew(reader);
                int read = 0;
                boolean more = cursor.get(key(from), GetOp.MDB_SET_RANGE);
                while (more && read < n) {
                    byte[] out = new byte[cursor.val().remaining()];
                    cursor.val().get(out);
                    sink.accept(cursor.key().getLong(0) ^ Long.MIN_VALUE, out);
                    read++;
                    more = cursor.next();
                }
                return read;
            } finally {
                reader.reset();
            }
        }

        @Override
        public boolean sorted() {
            return true;
        }

        @Override
        public void close() {
            cursor.close();
            reader.close();
            dbi.close();
            env.close();
            PeerMap.deleteTree(dir);
        }
    }

    // ---- MapDB -------------------------------------------------------------------------------

    /**
     * MapDB 3 file store, memory-mapped, with its write-ahead log ({@code transactionEnable()}):
     * {@code db.commit()} after every put writes the log and syncs it (MappedByteBuffer.force). The hash
     * benchmark uses an HTreeMap, the scan a BTreeMap.
     */
    static final class MapDb implements PeerMap {
        private final Path dir;
        private final DB db;
        private final Map<Long, byte[]> map;
        private final BTreeMap<Long, byte[]> tree;

        MapDb(Path dir, Kind kind) {
            this.dir = dir;
            db = DBMaker.fileDB(dir.resolve("mapdb").toFile()).fileMmapEnable().fileMmapPreclearDisable()
                    .transactionEnable().make();
            if (kind == Kind.SORTED) {
                tree = db.treeMap("s", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
                map = tree;
            } else {
                HTreeMap<Long, byte[]> hash = db.hashMap("h", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
                tree = null;
                map = hash;
            }
        }

        @Override
        public void put(long k, byte[] v) {
            map.put(k, v);
            db.commit();
        }

        @Override
        public void putAll(long[] keys, int from, int to, byte[] v) {
            for (int i = from; i < to; i++) {
                map.put(keys[i], v);
            }
            db.commit();
        }

        @Override
        public byte[] get(long k) {
            return map.get(k);
        }

        @Override
        public int scan(long from, int n, Sink sink) {
            Iterator<Map.Entry<Long, byte[]>> it = tree.tailMap(from, true).entrySet().iterator();
            int read = 0;
            for (; read < n && it.hasNext(); read++) {
                Map.Entry<Long, byte[]> e = it.next();
                sink.accept(e.getKey(), e.getValue());
            }
            return read;
        }

        @Override
        public boolean sorted() {
            return tree != null;
        }

        @Override
        public void close() {
            db.close();
            PeerMap.deleteTree(dir);
        }
    }

    // ---- H2 MVStore --------------------------------------------------------------------------

    /**
     * H2's MVStore, auto-commit off: {@code store.commit()} after every put writes a new chunk, and
     * {@code store.sync()} forces it (MVStore's commit alone leaves the chunk in the page cache).
     * Typed as {@code long} keys and {@code byte[]} values ({@link LongDataType}, {@link ByteArrayDataType}).
     */
    static final class MvStore implements PeerMap {
        private final Path dir;
        private final MVStore store;
        private final MVMap<Long, byte[]> map;

        MvStore(Path dir) {
            this.dir = dir;
            store = new MVStore.Builder().fileName(dir.resolve("mvstore").toString()).autoCommitDisabled().open();
            map = store.openMap("m", new MVMap.Builder<Long, byte[]>()
                    .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        }

        @Override
        public void put(long k, byte[] v) {
            map.put(k, v);
            store.commit();
            store.sync();
        }

        @Override
        public void putAll(long[] keys, int from, int to, byte[] v) {
            for (int i = from; i < to; i++) {
                map.put(keys[i], v);
            }
            store.commit();
            store.sync();
        }

        @Override
        public byte[] get(long k) {
            return map.get(k);
        }

        @Override
        public int scan(long from, int n, Sink sink) {
            Cursor<Long, byte[]> c = map.cursor(from);
            int read = 0;
            for (; read < n && c.hasNext(); read++) {
                long k = c.next();
                sink.accept(k, c.getValue());
            }
            return read;
        }

        @Override
        public boolean sorted() {
            return true;
        }

        @Override
        public void close() {
            store.close();
            PeerMap.deleteTree(dir);
        }
    }

    // ---- Chronicle Map -----------------------------------------------------------------------

    /**
     * Chronicle Map persisted to a file: entries live in a shared memory mapping and a put returns once
     * its bytes are stored there. Chronicle Map never syncs, so its durability is the page cache's (on
     * tmpfs, memory): it survives a process crash, not a power loss. Unordered: no scan.
     */
    static final class Chronicle implements PeerMap {
        private final Path dir;
        private final ChronicleMap<Long, byte[]> map;

        Chronicle(Path dir, int entries) throws IOException {
            this.dir = dir;
            map = ChronicleMap.of(Long.class, byte[].class).name("peers").entries(entries)
                    .constantValueSizeBySample(new byte[CollectionsBenchmark.VALUE_BYTES])
                    .createPersistedTo(dir.resolve("chronicle.map").toFile());
        }

        @Override
        public void put(long k, byte[] v) {
            map.put(k, v);
        }

        @Override
        public void putAll(long[] keys, int from, int to, byte[] v) {
            for (int i = from; i < to; i++) {
                map.put(keys[i], v);
            }
        }

        @Override
        public byte[] get(long k) {
            return map.get(k);
        }

        @Override
        public int scan(long from, int n, Sink sink) {
            throw new UnsupportedOperationException("Chronicle Map is unordered: no range scan");
        }

        @Override
        public boolean sorted() {
            return false;
        }

        @Override
        public void close() {
            map.close();
            PeerMap.deleteTree(dir);
        }
    }
}
