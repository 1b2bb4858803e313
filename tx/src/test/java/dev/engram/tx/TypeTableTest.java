package dev.engram.tx;

import dev.engram.pool.InvalidOptionException;
import dev.engram.pool.MappingPolicy;
import dev.engram.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The persistent type table: its bytes, how the object layer records it, and how damage is handled. */
class TypeTableTest {
    static final PoolOptions OPTIONS = PoolOptions.defaults().withSize(4 << 20).withLanes(2, 8192)
            .withPolicy(MappingPolicy.PAGE_CACHE);

    @TempDir
    Path dir;

    private static TypeTable.Entry words() {
        return new TypeTable.Entry(0x1234, "node", References.at(0, 24).thenEvery(32, 16, 8, 0, 8));
    }

    @Test
    void shouldWriteAnEntryAtTheDocumentedOffsets() {
        byte[] raw = TypeTable.encode(words());
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw).hasSize(64);
        assertThat(b.getInt(0)).as("typeNum").isEqualTo(0x1234);
        assertThat(raw[4]).as("kind words").isEqualTo((byte) 2);
        assertThat(raw[5]).as("fixedCount").isEqualTo((byte) 2);
        assertThat(b.getShort(6)).as("reserved").isZero();
        assertThat(b.getInt(8)).isZero();
        assertThat(b.getInt(12)).isEqualTo(24);
        assertThat(b.getInt(16)).as("unused fixed slots").isZero();
        assertThat(b.getInt(24)).as("groupStart").isEqualTo(32);
        assertThat(b.getInt(28)).as("groupStride").isEqualTo(16);
        assertThat(b.getInt(32)).as("groupCountAt").isEqualTo(8);
        assertThat(b.getShort(36)).as("groupRefA").isEqualTo((short) 0);
        assertThat(b.getShort(38)).as("groupRefB").isEqualTo((short) 8);
        assertThat(new String(raw, 40, 4, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("node");
        assertThat(raw[44]).as("name padding").isZero();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(raw, 0, 60);
        assertThat(b.getInt(60)).as("checksum").isEqualTo((int) crc.getValue());
        assertThat(TypeTable.validate(raw)).isNull();
        assertThat(TypeTable.decode(raw)).isEqualTo(words());
    }

    @Test
    void shouldRoundTripEveryKind() {
        for (References refs : List.of(References.unknown(), References.none(), References.scan(), References.at(8),
                References.at().thenEvery(0, 8, References.AS_MANY_AS_FIT, 0))) {
            TypeTable.Entry e = new TypeTable.Entry(77, "t", refs);
            assertThat(TypeTable.decode(TypeTable.encode(e))).as(refs.toString()).isEqualTo(e);
        }
    }

    @Test
    void shouldCutALongNameAtACharacterBoundary() {
        TypeTable.Entry e = new TypeTable.Entry(1, "ÄÄÄÄÄÄÄÄÄÄÄ", References.none());   // 22 bytes of UTF-8
        assertThat(e.name()).isEqualTo("ÄÄÄÄÄÄÄÄÄÄ");
        assertThat(TypeTable.decode(TypeTable.encode(e))).isEqualTo(e);
    }

    @Test
    void shouldRejectReferenceLayoutsThatCannotBeStored() {
        assertThatThrownBy(() -> References.at(0, 8, 16, 24, 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 4 fixed reference words, got 5");
        assertThatThrownBy(() -> References.at().thenEvery(0, 16, -1, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference word at 12 does not fit in an element of 16 bytes");
        assertThatThrownBy(() -> References.none().thenEvery(0, 16, -1, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ObjectLayout.named("x").register(ObjectGraphTest.Note.class, 30, References.scan()))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("none() or unknown(), not scan");
        assertThatThrownBy(() -> ObjectLayout.named("x").register(ObjectGraphTest.Note.class, 30)
                .declareBlockType(30, "clash", References.none())).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("type number 30 declared twice");
    }

    @Test
    void shouldRecordTheLayoutAtCreateAndAddNewTypesAtOpen() {
        Path file = dir.resolve("t.pool");
        ObjectLayout first = ObjectLayout.named("tt").declareBlockType(20, "node", References.at(0))
                .register(ObjectGraphTest.Note.class, 30);
        try (ObjectPool p = ObjectPool.create(file, first, OPTIONS)) {
            Map<Integer, TypeTable.Entry> t = TypeTable.read(p.engine().medium(), p.pool().rootAreaOffset()).entries();
            assertThat(t.values()).containsExactly(new TypeTable.Entry(20, "node", References.at(0)),
                    new TypeTable.Entry(30, "Note", References.unknown()));
        }
        ObjectLayout second = ObjectLayout.named("tt").declareBlockType(21, "leaf", References.none())
                .register(ObjectGraphTest.Note.class, 30, References.none());
        try (ObjectPool p = ObjectPool.open(file, second, OPTIONS)) {
            TypeTable.Contents c = TypeTable.read(p.engine().medium(), p.pool().rootAreaOffset());
            assertThat(c.intact()).isTrue();
            assertThat(c.entries().values()).containsExactly(new TypeTable.Entry(20, "node", References.at(0)),
                    new TypeTable.Entry(30, "Note", References.none()), new TypeTable.Entry(21, "leaf", References.none()));
        }
    }

    @Test
    void shouldRunNoTransactionWhenTheTableAlreadyHoldsTheDeclarations() {
        try (ObjectPool p = ObjectPool.create(dir.resolve("n.pool"), ObjectLayout.named("n"), OPTIONS)) {
            TypeTable.declare(p.engine(), List.of(words()));
            var before = p.engine().medium().counters().snapshot();
            TypeTable.declare(p.engine(), List.of(words()));
            assertThat(p.engine().medium().counters().snapshot().minus(before).drains()).isZero();
        }
    }

    @Test
    void shouldPreferDeclaredReferencesToNamesWhenTheTableIsFull() {
        try (ObjectPool p = ObjectPool.create(dir.resolve("f.pool"), ObjectLayout.named("f"), OPTIONS)) {
            List<TypeTable.Entry> names = new ArrayList<>();
            for (int i = 0; i < RootLayout.TYPE_CAPACITY; i++) {
                names.add(new TypeTable.Entry(100 + i, "n" + i, References.unknown()));
            }
            TypeTable.declare(p.engine(), names);
            TypeTable.declare(p.engine(), List.of(new TypeTable.Entry(7, "known", References.none())));
            Map<Integer, TypeTable.Entry> t = TypeTable.read(p.engine().medium(), p.pool().rootAreaOffset()).entries();
            assertThat(t).hasSize(RootLayout.TYPE_CAPACITY).containsKey(7).doesNotContainKey(100 + RootLayout.TYPE_CAPACITY - 1);
            assertThat(t.get(7).references()).isEqualTo(References.none());
        }
    }

    @Test
    void shouldReportADamagedEntryAndRewriteTheTableAtTheNextDeclaration() {
        try (ObjectPool p = ObjectPool.create(dir.resolve("d.pool"), ObjectLayout.named("d"), OPTIONS)) {
            long area = p.pool().rootAreaOffset();
            TypeTable.declare(p.engine(), List.of(words(), new TypeTable.Entry(9, "leaf", References.none())));
            long entry0 = RootLayout.typeEntryOffset(area, 0);
            p.engine().medium().putLongPersist(entry0 + TypeTableLayout.NAME_OFFSET, 0x41);
            TypeTable.Contents c = TypeTable.read(p.engine().medium(), area);
            assertThat(c.intact()).isFalse();
            assertThat(c.damage()).singleElement().asString().startsWith("type-table entry 0 at offset=" + entry0 + ": checksum");
            assertThat(c.entries()).containsOnlyKeys(9);
            TypeTable.declare(p.engine(), List.of(words()));
            TypeTable.Contents after = TypeTable.read(p.engine().medium(), area);
            assertThat(after.intact()).isTrue();
            assertThat(after.entries()).containsOnlyKeys(9, 0x1234);
        }
    }

    @Test
    void shouldReportACountOutOfRange() {
        try (ObjectPool p = ObjectPool.create(dir.resolve("c.pool"), ObjectLayout.named("c"), OPTIONS)) {
            long area = p.pool().rootAreaOffset();
            TypeTable.declare(p.engine(), List.of(words()));
            p.engine().medium().putInt(RootLayout.typeCountOffset(area), 500);
            TypeTable.Contents c = TypeTable.read(p.engine().medium(), area);
            assertThat(c.damage()).singleElement().asString().contains("records 500 entries, expected 0..63");
            assertThat(c.entries()).containsOnlyKeys(0x1234);
        }
    }

    @Test
    void shouldRefuseToRedeclareTheTransactionLayersOwnTypes() {
        try (ObjectPool p = ObjectPool.create(dir.resolve("o.pool"), ObjectLayout.named("o"), OPTIONS)) {
            assertThatThrownBy(() -> TypeTable.declare(p.engine(),
                    List.of(new TypeTable.Entry(TypeTable.TYPE_QUARANTINE, "mine", References.none()))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transaction layer's own (quarantine)");
        }
    }
}
