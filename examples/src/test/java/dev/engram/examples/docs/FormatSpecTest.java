package dev.engram.examples.docs;

import dev.engram.allocator.BlockHeaderLayout;
import dev.engram.allocator.HeapLayout;
import dev.engram.allocator.RedoLogLayout;
import dev.engram.allocator.ZoneLayout;
import dev.engram.pool.PoolHeaderLayout;
import dev.engram.tx.References;
import dev.engram.tx.RootLayout;
import dev.engram.tx.TypeTableLayout;
import dev.engram.tx.UndoLogLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/format.md against the layout classes: the tables marked "checked" must give the offsets the
 * constants hold, and their rows must tile the structure without gaps or overlaps.
 */
class FormatSpecTest {
    private static final Path SPEC = Path.of("..", "docs", "format.md");
    /** A table row: {@code | offset | size | field | meaning |}; offset and size may be expressions. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([^|]+?)\\s*\\|\\s*([^|]+?)\\s*\\|\\s*([^|]+?)\\s*\\|.*\\|\\s*$");

    record Row(String offset, String size) {
        int offsetValue() {
            return Integer.parseInt(offset);
        }

        int sizeValue() {
            return Integer.parseInt(size);
        }
    }

    @Test
    void poolHeaderTableMatchesPoolHeaderLayout() throws IOException {
        Map<String, Row> t = tables("Pool header").getFirst();
        assertOffsets(t, Map.ofEntries(
                Map.entry("signature", PoolHeaderLayout.SIGNATURE_OFFSET),
                Map.entry("major version", PoolHeaderLayout.MAJOR_OFFSET),
                Map.entry("minor version", PoolHeaderLayout.MINOR_OFFSET),
                Map.entry("header length", PoolHeaderLayout.HEADER_LENGTH_OFFSET),
                Map.entry("compat features", PoolHeaderLayout.COMPAT_OFFSET),
                Map.entry("incompat features", PoolHeaderLayout.INCOMPAT_OFFSET),
                Map.entry("ro-compat features", PoolHeaderLayout.RO_COMPAT_OFFSET),
                Map.entry("pool UUID", PoolHeaderLayout.UUID_OFFSET),
                Map.entry("creation time", PoolHeaderLayout.CREATION_TIME_OFFSET),
                Map.entry("pool size", PoolHeaderLayout.POOL_SIZE_OFFSET),
                Map.entry("maximum pool size", PoolHeaderLayout.MAX_POOL_SIZE_OFFSET),
                Map.entry("lane area offset", PoolHeaderLayout.LANE_AREA_OFFSET_OFFSET),
                Map.entry("lane area size", PoolHeaderLayout.LANE_AREA_SIZE_OFFSET),
                Map.entry("lane count", PoolHeaderLayout.LANE_COUNT_OFFSET),
                Map.entry("lane size", PoolHeaderLayout.LANE_SIZE_OFFSET),
                Map.entry("heap offset", PoolHeaderLayout.HEAP_OFFSET_OFFSET),
                Map.entry("heap size", PoolHeaderLayout.HEAP_SIZE_OFFSET),
                Map.entry("root area offset", PoolHeaderLayout.ROOT_AREA_OFFSET_OFFSET),
                Map.entry("open mode", PoolHeaderLayout.OPEN_MODE_OFFSET),
                Map.entry("flags", PoolHeaderLayout.FLAGS_OFFSET),
                Map.entry("generation", PoolHeaderLayout.GENERATION_OFFSET),
                Map.entry("unsafe-shutdown count", PoolHeaderLayout.SHUTDOWN_COUNT_OFFSET),
                Map.entry("holder pid", PoolHeaderLayout.HOLDER_PID_OFFSET),
                Map.entry("layout name length", PoolHeaderLayout.LAYOUT_LENGTH_OFFSET),
                Map.entry("layout name", PoolHeaderLayout.LAYOUT_NAME_OFFSET),
                Map.entry("checksum", PoolHeaderLayout.CHECKSUM_OFFSET)));
        assertThat(t.get("layout name").sizeValue()).isEqualTo(PoolHeaderLayout.MAX_LAYOUT_NAME);
        assertTiles(t, PoolHeaderLayout.HEADER_LENGTH);
    }

    @Test
    void fileMapMatchesTheFixedArea() throws IOException {
        String spec = Files.readString(SPEC);
        assertThat(spec).contains("| " + PoolHeaderLayout.BACKUP_OFFSET + " | " + PoolHeaderLayout.HEADER_LENGTH + " | pool header, backup copy |")
                .contains("| " + PoolHeaderLayout.ROOT_AREA_OFFSET + " | " + PoolHeaderLayout.ROOT_AREA_SIZE + " | root area")
                .contains("| " + PoolHeaderLayout.FIXED_AREA_END + " | laneCount");
    }

    @Test
    void rootAreaTableMatchesRootLayout() throws IOException {
        Map<String, Row> t = tables("Root area").getFirst();
        assertOffsets(t, Map.of("magic", RootLayout.MAGIC_OFFSET, "root object", RootLayout.ROOT_OBJECT_OFFSET,
                "type count", RootLayout.TYPE_COUNT_OFFSET, "type entries", RootLayout.TYPE_ENTRIES_OFFSET));
        assertThat(t.get("type entries").sizeValue()).isEqualTo(RootLayout.TYPE_CAPACITY * TypeTableLayout.ENTRY_LENGTH);
        assertTiles(t, (int) PoolHeaderLayout.ROOT_AREA_SIZE);
    }

    @Test
    void typeTableEntryTableMatchesTypeTableLayout() throws IOException {
        Map<String, Row> t = tables("Root area").get(1);
        assertOffsets(t, Map.ofEntries(
                Map.entry("type number", TypeTableLayout.TYPE_NUM_OFFSET),
                Map.entry("kind", TypeTableLayout.KIND_OFFSET),
                Map.entry("fixed count", TypeTableLayout.FIXED_COUNT_OFFSET),
                Map.entry("reserved", TypeTableLayout.RESERVED_OFFSET),
                Map.entry("fixed offsets", TypeTableLayout.FIXED_OFFSET),
                Map.entry("group start", TypeTableLayout.GROUP_START_OFFSET),
                Map.entry("group stride", TypeTableLayout.GROUP_STRIDE_OFFSET),
                Map.entry("group count at", TypeTableLayout.GROUP_COUNT_AT_OFFSET),
                Map.entry("group ref A", TypeTableLayout.GROUP_REF_A_OFFSET),
                Map.entry("group ref B", TypeTableLayout.GROUP_REF_B_OFFSET),
                Map.entry("name", TypeTableLayout.NAME_OFFSET),
                Map.entry("checksum", TypeTableLayout.CHECKSUM_OFFSET)));
        assertThat(t.get("name").sizeValue()).isEqualTo(TypeTableLayout.NAME_LENGTH);
        assertTiles(t, TypeTableLayout.ENTRY_LENGTH);
        assertThat(Files.readString(SPEC)).contains("| 4 | 1 | kind | 0 unknown, 1 none, 2 words, 3 scan |");
        assertThat(References.Kind.values()).extracting(Enum::name).containsExactly("UNKNOWN", "NONE", "WORDS", "SCAN");
    }

    @Test
    void undoLogTablesMatchUndoLogLayout() throws IOException {
        List<Map<String, Row>> t = tables("Undo log");
        assertOffsets(t.get(0), Map.of("generation", UndoLogLayout.GENERATION_OFFSET,
                "first overflow", UndoLogLayout.FIRST_OVERFLOW_OFFSET));
        assertTiles(t.get(0), UndoLogLayout.HEADER_LENGTH);
        assertOffsets(t.get(1), Map.of("next overflow", UndoLogLayout.NEXT_OVERFLOW_OFFSET,
                "capacity", UndoLogLayout.CAPACITY_OFFSET));
        assertTiles(t.get(1), UndoLogLayout.HEADER_LENGTH);
        assertOffsets(t.get(2), Map.of("target", UndoLogLayout.ENTRY_TARGET_OFFSET, "length", UndoLogLayout.ENTRY_LENGTH_OFFSET,
                "checksum", UndoLogLayout.ENTRY_CHECKSUM_OFFSET, "data", UndoLogLayout.ENTRY_DATA_OFFSET));
    }

    @Test
    void redoLogTableMatchesRedoLogLayout() throws IOException {
        Map<String, Row> t = tables("Redo log").getFirst();
        assertOffsets(t, Map.of("valid word", RedoLogLayout.VALID_WORD_OFFSET, "reserved", Long.BYTES));
        assertThat(t.get("reserved").offsetValue() + t.get("reserved").sizeValue()).isEqualTo(RedoLogLayout.HEADER_SIZE);
        String step = " + " + RedoLogLayout.ENTRY_SIZE + "i";
        assertThat(t.get("entry word").offset()).isEqualTo((RedoLogLayout.HEADER_SIZE + RedoLogLayout.ENTRY_WORD_OFFSET) + step);
        assertThat(t.get("operand").offset()).isEqualTo((RedoLogLayout.HEADER_SIZE + RedoLogLayout.ENTRY_OPERAND_OFFSET) + step);
    }

    @Test
    void heapHeaderTableMatchesHeapLayout() throws IOException {
        Map<String, Row> t = tables("Heap header").getFirst();
        assertOffsets(t, Map.of("signature", HeapLayout.SIGNATURE_OFFSET, "major version", HeapLayout.MAJOR_OFFSET,
                "minor version", HeapLayout.MINOR_OFFSET, "chunk size", HeapLayout.CHUNK_SIZE_OFFSET,
                "chunks per zone", HeapLayout.CHUNKS_PER_ZONE_OFFSET, "max heap size", HeapLayout.MAX_SIZE_OFFSET,
                "heap offset", HeapLayout.HEAP_OFFSET_OFFSET, "checksum", HeapLayout.CHECKSUM_OFFSET));
        assertTiles(t, HeapLayout.HEADER_SIZE);
        assertThat(Files.readString(SPEC)).contains("| chunk size | " + HeapLayout.CHUNK_SIZE + " (256 KiB) |");
    }

    @Test
    void zoneAndBlockHeaderTablesMatchTheirLayouts() throws IOException {
        Map<String, Row> zone = tables("Zones").getFirst();
        assertOffsets(zone, Map.of("magic", ZoneLayout.MAGIC_OFFSET, "zone index", ZoneLayout.INDEX_OFFSET,
                "reserved", ZoneLayout.RESERVED_OFFSET, "chunk-header table", ZoneLayout.CHUNK_TABLE_OFFSET));
        assertThat(zone.get("chunk-header table").size()).isEqualTo(ZoneLayout.CHUNK_HEADER_SIZE + " × chunks");

        Map<String, Row> block = tables("Block headers").getFirst();
        assertOffsets(block, Map.of("size word", BlockHeaderLayout.SIZE_WORD_OFFSET, "type number", BlockHeaderLayout.TYPE_OFFSET));
        assertTiles(block, BlockHeaderLayout.HEADER_SIZE);
    }

    private static void assertOffsets(Map<String, Row> table, Map<String, Integer> expected) {
        expected.forEach((field, offset) -> {
            assertThat(table).as("docs/format.md has a row for " + field).containsKey(field);
            assertThat(table.get(field).offsetValue()).as("offset of " + field).isEqualTo(offset);
        });
    }

    /** Rows follow each other without gap or overlap and end at {@code length}. */
    private static void assertTiles(Map<String, Row> table, int length) {
        int next = 0;
        for (Map.Entry<String, Row> e : table.entrySet()) {
            assertThat(e.getValue().offsetValue()).as("offset of " + e.getKey()).isEqualTo(next);
            next += e.getValue().sizeValue();
        }
        assertThat(next).as("end of the last row").isEqualTo(length);
    }

    /**
     * The tables of the section under {@code ## heading}, each as field to row in document order.
     * Repeated "reserved" rows keep a numbered key after the first ("reserved 2", ...).
     */
    private static List<Map<String, Row>> tables(String heading) throws IOException {
        List<String> lines = Files.readAllLines(SPEC);
        int start = lines.indexOf("## " + heading);
        assertThat(start).as("section '## " + heading + "' in " + SPEC).isNotNegative();
        List<Map<String, Row>> tables = new ArrayList<>();
        Map<String, Row> current = null;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            if (!m.matches()) {
                current = null;
                continue;
            }
            if (current == null) {   // the header row; the separator row follows
                current = new LinkedHashMap<>();
                tables.add(current);
                i++;
                continue;
            }
            String field = m.group(3);
            for (int n = 2; current.containsKey(field); n++) {
                field = m.group(3) + " " + n;
            }
            current.put(field, new Row(m.group(1), m.group(2)));
        }
        return tables;
    }
}
