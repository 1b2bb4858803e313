package dev.engram.crashtest.corpus;

import dev.engram.crashtest.CrashChecker;
import dev.engram.crashtest.MediumAction;

import java.util.List;

import static dev.engram.crashtest.corpus.ReferenceLayout.SIZE;

/**
 * The built-in corpus: correct and deliberately broken workloads on the reference structures
 * ({@link Accounts}, {@link CommitRecord}, {@link PointerPair}, {@link PersistentList}). Every
 * broken variant must be caught by the default explorer, every correct one must pass.
 */
public final class ReferenceVariants implements CrashVariantProvider {
    /** For {@link java.util.ServiceLoader} and {@link CrashCorpus}. */
    public ReferenceVariants() {
    }

    @Override
    public List<CrashVariant> variants() {
        MediumAction accounts = Accounts::setup;
        CrashChecker accountsCheck = Accounts::recoverAndCheck;
        MediumAction zero = m -> m.persist(0, SIZE);
        MediumAction pointers = PointerPair::setup;
        return List.of(
                CrashVariant.correct("transfer-undo-log", "log, persist, count, write, flush+drain, retire log",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::correct), accountsCheck),
                CrashVariant.broken("transfer-no-undo-log", "balances persisted one by one without a log",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::noUndoLog), accountsCheck),
                CrashVariant.broken("transfer-count-before-entries", "publish before initialise: log count persisted before its entries",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::countBeforeEntries), accountsCheck),
                CrashVariant.broken("transfer-missing-drain", "new values flushed but not drained before the commit",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::missingDrainBeforeCommit), accountsCheck),
                CrashVariant.broken("transfer-missing-flush", "new values never flushed before the commit",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::missingFlushOfData), accountsCheck),
                CrashVariant.broken("transfer-flush-before-write", "log entries flushed before they are written",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::flushBeforeWrite), accountsCheck),
                CrashVariant.broken("transfer-log-after-data", "log entries persisted after the data write",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::dataBeforeLog), accountsCheck),
                CrashVariant.broken("transfer-missing-snapshot", "a modified word without an undo entry (needs early write-back)",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::missingSnapshot), accountsCheck),
                CrashVariant.broken("transfer-commit-before-data", "log retired before the new values are flushed",
                        SIZE, accounts, m -> Accounts.workload(m, Accounts::commitBeforeDataFlushed), accountsCheck),

                CrashVariant.correct("record-commit-word", "payload persisted, then the commit word alone",
                        SIZE, zero, CommitRecord::correct, CommitRecord::check),
                CrashVariant.broken("record-missing-flush", "payload not flushed before the commit word",
                        SIZE, zero, CommitRecord::missingFlush, CommitRecord::check),
                CrashVariant.broken("record-missing-drain", "payload flushed but not drained before the commit word",
                        SIZE, zero, CommitRecord::missingDrain, CommitRecord::check),
                CrashVariant.broken("record-commit-before-data-flushed", "commit marker persisted before the payload is flushed",
                        SIZE, zero, CommitRecord::commitBeforeDataFlushed, CommitRecord::check),
                CrashVariant.broken("record-publish-before-init", "commit word persisted before the payload is written",
                        SIZE, zero, CommitRecord::publishBeforeInit, CommitRecord::check),
                CrashVariant.broken("record-wrong-flush-range", "the flush names the next line, not the payload's",
                        SIZE, zero, CommitRecord::wrongFlushRange, CommitRecord::check),
                CrashVariant.correct("line-commit-word-last", "payload and commit word on one line, commit stored last",
                        SIZE, zero, CommitRecord::sameLineCorrect, CommitRecord::checkSameLine),
                CrashVariant.broken("line-commit-word-first", "payload and commit word on one line, commit stored first",
                        SIZE, zero, CommitRecord::sameLineCommitFirst, CommitRecord::checkSameLine),

                CrashVariant.correct("pointer-double-slot", "new pair in the spare slot, then an 8-byte selector",
                        SIZE, pointers, PointerPair::doubleSlot, PointerPair::checkSlots),
                CrashVariant.broken("pointer-torn-16-byte", "16-byte pointer stored in place",
                        SIZE, pointers, PointerPair::tornInPlace, PointerPair::checkInPlace),
                CrashVariant.broken("pointer-selector-before-slot", "selector switched before the slot is written",
                        SIZE, pointers, PointerPair::selectorBeforeSlot, PointerPair::checkSlots),
                CrashVariant.broken("word-across-lines", "an 8-byte word crossing a cache-line boundary",
                        SIZE, pointers, PointerPair::straddlingWord, PointerPair::checkStraddlingWord),

                CrashVariant.correct("list-push", "node persisted whole, then HEAD",
                        SIZE, zero, m -> PersistentList.workload(m, PersistentList::correct), PersistentList::check),
                CrashVariant.broken("list-publish-before-init", "HEAD persisted before the node is written",
                        SIZE, zero, m -> PersistentList.workload(m, PersistentList::publishBeforeInit), PersistentList::check),
                CrashVariant.broken("list-flush-too-short", "the node's flush misses the line holding next",
                        SIZE, zero, m -> PersistentList.workload(m, PersistentList::flushTooShort), PersistentList::check));
    }
}
