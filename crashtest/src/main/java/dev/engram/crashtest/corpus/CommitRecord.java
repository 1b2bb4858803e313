package dev.engram.crashtest.corpus;

import dev.engram.pool.Bits;
import dev.engram.pool.medium.Medium;

import static dev.engram.crashtest.corpus.Invariants.require;
import static dev.engram.crashtest.corpus.ReferenceLayout.LINE_COMMIT;
import static dev.engram.crashtest.corpus.ReferenceLayout.LINE_DATA;
import static dev.engram.crashtest.corpus.ReferenceLayout.LINE_WORDS;
import static dev.engram.crashtest.corpus.ReferenceLayout.RECORD_COMMIT;
import static dev.engram.crashtest.corpus.ReferenceLayout.RECORD_DATA;
import static dev.engram.crashtest.corpus.ReferenceLayout.RECORD_WORDS;

/**
 * Reference structure 2: the "commit word" publish pattern. The correct protocol writes the payload,
 * persists it, then persists the 8-byte commit word alone. Invariant: commit is 0 or 1, and 1 means
 * every payload word holds its value.
 *
 * <p>The same-line form puts 7 payload words and the commit word on one cache line and persists the
 * line once, commit word written last. That is correct on x86, because one line's stores reach the
 * media in program order: a harness that ignores lines would report it as broken.
 */
final class CommitRecord {
    private CommitRecord() {
    }

    static long payload(int word) {
        return 1000 + word;
    }

    static void check(Medium m) {
        checkRecord(m, RECORD_DATA, RECORD_WORDS, RECORD_COMMIT);
    }

    static void checkSameLine(Medium m) {
        checkRecord(m, LINE_DATA, LINE_WORDS, LINE_COMMIT);
    }

    private static void checkRecord(Medium m, long data, int words, long commitOffset) {
        long commit = m.getLong(commitOffset);
        require(commit == 0 || commit == 1, "commit word is 0 or 1, commit=" + commit);
        if (commit == 1) {
            for (int i = 0; i < words; i++) {
                long v = m.getLong(data + (long) i * Long.BYTES);
                require(v == payload(i), "committed payload word " + i + " == " + payload(i) + ", got " + v);
            }
        }
    }

    private static void writePayload(Medium m, long data, int words) {
        for (int i = 0; i < words; i++) {
            m.putLong(data + (long) i * Long.BYTES, payload(i));
        }
    }

    static void correct(Medium m) {
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.persist(RECORD_DATA, RECORD_WORDS * Long.BYTES);
        m.putLongPersist(RECORD_COMMIT, 1);
    }

    static void missingFlush(Medium m) {
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.drain();
        m.putLongPersist(RECORD_COMMIT, 1);
    }

    static void missingDrain(Medium m) {
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.flush(RECORD_DATA, RECORD_WORDS * Long.BYTES);
        m.putLongPersist(RECORD_COMMIT, 1);
    }

    /** Commit marker written and persisted before the payload is flushed. */
    static void commitBeforeDataFlushed(Medium m) {
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.putLongPersist(RECORD_COMMIT, 1);
        m.persist(RECORD_DATA, RECORD_WORDS * Long.BYTES);
    }

    /** Publish before initialise: the commit word is set before the payload is even written. */
    static void publishBeforeInit(Medium m) {
        m.putLongPersist(RECORD_COMMIT, 1);
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.persist(RECORD_DATA, RECORD_WORDS * Long.BYTES);
    }

    /** Flushes the line after the payload instead of the payload's line. */
    static void wrongFlushRange(Medium m) {
        writePayload(m, RECORD_DATA, RECORD_WORDS);
        m.persist(RECORD_DATA + Bits.CACHE_LINE, RECORD_WORDS * Long.BYTES);
        m.putLongPersist(RECORD_COMMIT, 1);
    }

    static void sameLineCorrect(Medium m) {
        writePayload(m, LINE_DATA, LINE_WORDS);
        m.putLong(LINE_COMMIT, 1);
        m.persist(LINE_DATA, Bits.CACHE_LINE);
    }

    /** Same line, but the commit word is stored first: a program-order prefix can hold it alone. */
    static void sameLineCommitFirst(Medium m) {
        m.putLong(LINE_COMMIT, 1);
        writePayload(m, LINE_DATA, LINE_WORDS);
        m.persist(LINE_DATA, Bits.CACHE_LINE);
    }
}
