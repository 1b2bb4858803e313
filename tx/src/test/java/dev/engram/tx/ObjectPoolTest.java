package dev.engram.tx;

import dev.engram.pool.LayoutMismatchException;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolClosedException;
import dev.engram.pool.PoolOptions;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectPoolTest {
    public static final class Account {
        String name;
        long balance;

        Account() {
        }

        Account(String name, long balance) {
            this.name = name;
            this.balance = balance;
        }
    }

    public static final class Secret {
        String payload = "gadget";
    }

    static final ObjectLayout LAYOUT = ObjectLayout.named("bank").register(Account.class, 16);
    static final PoolOptions OPTIONS = PoolOptions.defaults().withSize(8 << 20).withPolicy(MappingPolicy.PAGE_CACHE);

    @TempDir
    Path dir;

    @Test
    void shouldStoreARootObjectAndReadItAfterReopen() {
        Path file = dir.resolve("bank.pool");
        try (ObjectPool pool = ObjectPool.create(file, LAYOUT, OPTIONS)) {
            Ref<Account> ref = pool.transaction(tx -> {
                Ref<Account> r = pool.store(new Account("alice", 100));
                pool.setRoot(r);
                return r;
            });
            assertThat(pool.read(ref).balance).isEqualTo(100);
        }
        try (ObjectPool pool = ObjectPool.open(file, LAYOUT, OPTIONS)) {
            Ref<Account> root = pool.root(Account.class);
            assertThat(pool.read(root).name).isEqualTo("alice");
            pool.run(tx -> pool.setRoot(pool.update(root, new Account("alice", 70))));
            assertThat(pool.read(pool.root(Account.class)).balance).isEqualTo(70);
            assertThat(pool.objects(Account.class)).containsExactly(pool.root(Account.class));
        }
    }

    @Test
    void shouldRefuseToReadAClassTheLayoutDoesNotRegister() {
        Path file = dir.resolve("gadget.pool");
        ObjectLayout wider = ObjectLayout.named("bank").register(Account.class, 16).register(Secret.class, 17);
        try (ObjectPool pool = ObjectPool.create(file, wider, OPTIONS)) {
            pool.run(tx -> pool.setRoot(pool.store(new Secret())));
        }
        try (ObjectPool pool = ObjectPool.open(file, LAYOUT, OPTIONS)) {
            assertThatThrownBy(() -> pool.read(pool.root(Object.class)))
                    .isInstanceOf(UnregisteredClassException.class)
                    .hasMessageContaining("class id 17, which layout 'bank' does not register");
            assertThatThrownBy(() -> pool.run(tx -> pool.store(new Secret())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not registered");
        }
    }

    @Test
    void shouldRejectAWrongLayoutNameAndUseAfterClose() {
        Path file = dir.resolve("named.pool");
        ObjectPool pool = ObjectPool.create(file, LAYOUT, OPTIONS);
        pool.close();
        assertThatThrownBy(() -> pool.transaction(tx -> null)).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> ObjectPool.open(file, ObjectLayout.named("other"), OPTIONS))
                .isInstanceOf(LayoutMismatchException.class).hasMessageContaining("'bank', not 'other'");
    }

    @Test
    void shouldRejectWritesToTransactionalBlocksOutsideATransaction() {
        try (ObjectPool pool = ObjectPool.create(dir.resolve("blocks.pool"), LAYOUT, OPTIONS)) {
            MemoryBlock block = pool.transaction(tx -> pool.allocateBlock(128, 20));
            assertThatThrownBy(() -> block.setLong(0, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside a transaction");
            assertThatThrownBy(() -> pool.transaction(tx -> {
                block.setLong(block.size() - 4, 1);
                return null;
            })).hasMessageContaining("index=" + (block.size() - 4) + " length=8");
            pool.run(tx -> block.setLong(8, 42));
            assertThatThrownBy(() -> pool.run(tx -> {
                block.setLong(8, 43);
                throw new IllegalStateException("abort");
            })).hasMessage("abort");
            assertThat(block.getLong(8)).isEqualTo(42);
            MemoryBlock raw = pool.nonTransactionalBlock(block.offset());
            raw.setLong(16, 7);
            raw.persist();
            assertThat(block.getLong(16)).isEqualTo(7);
        }
    }

    @Test
    void shouldGiveChronicleBytesViewsBoundedToTheBlock() {
        try (ObjectPool pool = ObjectPool.create(dir.resolve("chronicle.pool"), LAYOUT, OPTIONS)) {
            MemoryBlock block = pool.transaction(tx -> pool.allocateBlock(64, 21));
            pool.run(tx -> pool.writeBytes(block, b -> b.writeInt(7).writeLong(99L)));
            Bytes<?> view = pool.readBytes(block);
            assertThat(view.readLimit()).isEqualTo(block.size());
            assertThat(view.readInt()).isEqualTo(7);
            assertThat(view.readLong()).isEqualTo(99L);
        }
    }

    @Test
    void shouldRunIndependentTransactionsOnTwoThreadsOnDifferentLanes() throws Exception {
        try (ObjectPool pool = ObjectPool.create(dir.resolve("threads.pool"), LAYOUT, OPTIONS)) {
            MemoryBlock a = pool.transaction(tx -> pool.allocateBlock(64, 20));
            MemoryBlock b = pool.transaction(tx -> pool.allocateBlock(64, 20));
            CountDownLatch bothInside = new CountDownLatch(2);
            List<Integer> lanes = java.util.Collections.synchronizedList(new ArrayList<>());
            Runnable worker1 = () -> pool.run(tx -> {
                a.setLong(0, 1);
                lanes.add(tx.lane());
                bothInside.countDown();
                bothInside.await();
            });
            Runnable worker2 = () -> pool.run(tx -> {
                b.setLong(0, 2);
                lanes.add(tx.lane());
                bothInside.countDown();
                bothInside.await();
            });
            Thread t1 = new Thread(worker1);
            Thread t2 = new Thread(worker2);
            t1.start();
            t2.start();
            t1.join();
            t2.join();
            assertThat(lanes).hasSize(2).doesNotHaveDuplicates();
            assertThat(a.getLong(0)).isEqualTo(1);
            assertThat(b.getLong(0)).isEqualTo(2);
        }
    }
}
