package dev.engram.tx;

import dev.engram.pool.PoolIoException;
import dev.engram.pool.PoolOptions;
import dev.engram.tx.ObjectPoolTest.Account;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ObjectPool.open} with {@code PoolOptions.withReadOnly(true)}: every read works, every write
 * is a {@link ReadOnlyPoolException} naming the file, the file's bytes never change, and a pool
 * that needs recovery is refused rather than read half-done.
 */
class ReadOnlyPoolTest {
    static final PoolOptions WRITABLE = ObjectPoolTest.OPTIONS;
    static final PoolOptions READ_ONLY = WRITABLE.withReadOnly(true);
    static final int BLOCK_TYPE = 20;

    @TempDir
    Path dir;

    /** A pool with a root account, two more accounts and a block holding a Chronicle-written int and long. */
    private Path populated(long[] block) {
        Path file = dir.resolve("bank.pool");
        try (ObjectPool pool = ObjectPool.create(file, ObjectPoolTest.LAYOUT, WRITABLE)) {
            pool.run(tx -> {
                pool.setRoot(pool.store(new Account("alice", 100)));
                pool.store(new Account("bob", 20));
                pool.store(new Account("carol", 3));
            });
            MemoryBlock b = pool.transaction(tx -> pool.allocateBlock(64, BLOCK_TYPE));
            pool.run(tx -> pool.writeBytes(b, bytes -> bytes.writeInt(7).writeLong(99L)));
            block[0] = b.offset();
        }
        return file;
    }

    @Test
    void shouldReadRootObjectsBlocksAndBytesViewsWithoutWritingAByte() throws IOException {
        long[] block = new long[1];
        Path file = populated(block);
        byte[] before = Files.readAllBytes(file);
        try (ObjectPool pool = ObjectPool.open(file, ObjectPoolTest.LAYOUT, READ_ONLY)) {
            assertThat(pool.engine().isReadOnly()).isTrue();
            assertThat(pool.read(pool.root(Account.class)).name).isEqualTo("alice");
            assertThat(pool.objects(Account.class)).hasSize(3)
                    .extracting(ref -> pool.read(ref).balance).containsExactlyInAnyOrder(100L, 20L, 3L);
            MemoryBlock b = pool.block(block[0]);
            assertThat(b.getInt(0)).isEqualTo(7);
            Bytes<?> view = pool.readBytes(b);
            assertThat(view.readInt()).isEqualTo(7);
            assertThat(view.readLong()).isEqualTo(99L);
            pool.drain();
        }
        assertThat(Files.readAllBytes(file)).as("the file, header included, is unchanged").isEqualTo(before);
    }

    @Test
    void shouldRefuseEveryWriteWithAReadOnlyPoolExceptionNamingTheFile() throws IOException {
        long[] block = new long[1];
        Path file = populated(block);
        byte[] before = Files.readAllBytes(file);
        try (ObjectPool pool = ObjectPool.open(file, ObjectPoolTest.LAYOUT, READ_ONLY)) {
            String named = "pool " + file + " was opened read-only: ";
            assertThatThrownBy(() -> pool.transaction(tx -> null)).isInstanceOf(ReadOnlyPoolException.class)
                    .isInstanceOf(PoolIoException.class)
                    .hasMessageStartingWith(named + "a transaction is refused; open it without PoolOptions.withReadOnly(true)");
            assertThatThrownBy(() -> pool.run(tx -> { })).isInstanceOf(ReadOnlyPoolException.class);
            assertThatThrownBy(() -> pool.store(new Account("dave", 1))).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageStartingWith(named + "store is refused");
            assertThatThrownBy(() -> pool.setRoot(pool.root(Account.class))).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageStartingWith(named + "setRoot is refused");
            MemoryBlock b = pool.block(block[0]);
            assertThatThrownBy(() -> b.setLong(8, 1)).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageStartingWith(named + "a write of 8 bytes at index=8 to the block at offset=" + block[0]);
            assertThatThrownBy(() -> pool.writeBytes(b, bytes -> bytes.writeInt(1))).isInstanceOf(ReadOnlyPoolException.class);
            MemoryBlock raw = pool.nonTransactionalBlock(block[0]);
            assertThatThrownBy(() -> raw.setLong(0, 1)).isInstanceOf(ReadOnlyPoolException.class);
            assertThatThrownBy(raw::persist).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageStartingWith(named + "a flush of");
            assertThatThrownBy(() -> pool.engine().medium().putLong(block[0], 1)).isInstanceOf(ReadOnlyPoolException.class)
                    .hasMessageStartingWith(named + "a store of 8 bytes at offset=" + block[0] + " refused");
            assertThat(b.getInt(0)).as("still readable after the refusals").isEqualTo(7);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void shouldRefuseAPoolWithAnUnfinishedTransactionUntilItIsOpenedWritableOnce() throws IOException {
        Path file = dir.resolve("live.pool");
        byte[][] crash = new byte[1][];
        try (ObjectPool pool = ObjectPool.create(file, ObjectPoolTest.LAYOUT, WRITABLE)) {
            MemoryBlock b = pool.transaction(tx -> pool.allocateBlock(64, BLOCK_TYPE));
            pool.run(tx -> pool.setRoot(new Ref<>(b.offset(), Object.class)));
            pool.run(tx -> b.setLong(0, 1));
            assertThatThrownBy(() -> pool.run(tx -> {
                b.setLong(0, 2);
                // the page cache holds the snapshot, drained, and the new value: a crash image
                crash[0] = Files.readAllBytes(file);
                throw new IllegalStateException("crash here");
            })).hasMessage("crash here");
        }
        Path crashed = dir.resolve("crashed.pool");
        Files.write(crashed, crash[0]);

        assertThatThrownBy(() -> ObjectPool.open(crashed, ObjectPoolTest.LAYOUT, READ_ONLY))
                .isInstanceOf(ReadOnlyPoolException.class)
                .hasMessageContaining("pool " + crashed + " needs recovery before it can be read: the undo log of lane ")
                .hasMessageContaining("entries of a transaction that did not finish")
                .hasMessageContaining("open it writable once (or run 'engram check --repair')");
        assertThat(Files.readAllBytes(crashed)).as("the refused open wrote nothing").isEqualTo(crash[0]);

        try (ObjectPool pool = ObjectPool.open(crashed, ObjectPoolTest.LAYOUT, WRITABLE)) {
            assertThat(pool.engine().recoveredEntries()).isPositive();
        }
        try (ObjectPool pool = ObjectPool.open(crashed, ObjectPoolTest.LAYOUT, READ_ONLY)) {
            long root = pool.root(Object.class).offset();
            assertThat(pool.block(root).getLong(0)).as("rolled back by the writable open").isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAPoolWhoseRedoLogIsLive() throws IOException {
        long[] block = new long[1];
        Path file = populated(block);
        long redo;
        try (ObjectPool pool = ObjectPool.open(file, ObjectPoolTest.LAYOUT, READ_ONLY)) {
            redo = pool.engine().laneLayout().redoOffset(pool.pool().laneOffset(1));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0x0001_0001_1234_5678L), redo);
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> ObjectPool.open(file, ObjectPoolTest.LAYOUT, READ_ONLY))
                .isInstanceOf(ReadOnlyPoolException.class)
                .hasMessageContaining("needs recovery before it can be read: the redo log of lane 1 holds a heap update"
                        + " that was not applied");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        // a writable open discards the torn log; then the read-only open works
        ObjectPool.open(file, ObjectPoolTest.LAYOUT, WRITABLE).close();
        try (ObjectPool pool = ObjectPool.open(file, ObjectPoolTest.LAYOUT, READ_ONLY)) {
            assertThat(pool.objects(Account.class)).hasSize(3);
        }
    }
}
