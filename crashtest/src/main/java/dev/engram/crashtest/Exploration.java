package dev.engram.crashtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One run of the engine over one trace: walks the crash points, lets each strategy build images
 * in the shared {@link CrashImage}, checks each distinct image once and collects failures.
 *
 * <p>Building an image: roll back to the durable state, then apply a prefix of each in-flight
 * line's stores ({@link #applyLinePrefix}) or the next store in program order
 * ({@link #applyNextInOrder}). {@code applied[i]} tracks the prefix of line {@code i}, so a
 * failure's subset is known without re-deriving it.
 */
final class Exploration {
    private final Trace trace;
    private final CrashChecker checker;
    private final List<CrashStrategy> strategies;
    private final int maxReported;
    private final FailureArtifacts artifacts;
    private final boolean unflushedInFlight;

    private final CrashImage image;
    private final PersistenceState state;
    private final ImageKeySet seen = new ImageKeySet();
    private final ImageMedium medium = new ImageMedium();
    private int[] applied = new int[16];

    private int points;
    private long candidates;
    private long checkerCalls;
    private long overLimit;
    private long failing;
    private final List<CrashFailure> failures = new ArrayList<>();

    Exploration(Trace trace, CrashChecker checker, List<CrashStrategy> strategies, int maxReported,
                FailureArtifacts artifacts, boolean unflushedInFlight) {
        this.trace = trace;
        this.checker = checker;
        this.strategies = strategies;
        this.maxReported = maxReported;
        this.artifacts = artifacts;
        this.unflushedInFlight = unflushedInFlight;
        this.image = new CrashImage(trace);
        this.state = new PersistenceState(trace, image, unflushedInFlight);
    }

    CrashReport run() {
        while (state.next()) {
            points++;
            InFlight f = state.inFlight();
            medium.attach(image.segment(state.size()));
            if (applied.length < f.lineCount()) {
                applied = new int[Math.max(f.lineCount(), applied.length * 2)];
            }
            for (CrashStrategy s : strategies) {
                switch (s) {
                    case CrashStrategy.Prefixes p -> prefixes(f, p);
                    case CrashStrategy.RandomPrefixes r -> random(f, r);
                    case CrashStrategy.Exhaustive e -> exhaustive(f, e);
                    case CrashStrategy.LineLost l -> lineLost(f, l);
                }
            }
            reset(f);
        }
        return new CrashReport(points, candidates, seen.size(), checkerCalls, overLimit, failing, failures,
                artifacts == null ? null : artifacts.directory());
    }

    // ---- strategies ---------------------------------------------------------------------------

    private void prefixes(InFlight f, CrashStrategy.Prefixes p) {
        reset(f);
        check(f, p, 0);
        for (int k = 0; k < f.storeCount(); k++) {
            applyNextInOrder(f, k);
            check(f, p, k + 1);
        }
    }

    private void random(InFlight f, CrashStrategy.RandomPrefixes r) {
        if (f.combinations(r.samplesPerPoint()) <= r.samplesPerPoint()) {
            // no more images here than samples: enumerate them instead of drawing duplicates
            exhaustive(f, new CrashStrategy.Exhaustive(r.samplesPerPoint()), r);
            return;
        }
        SplittableRandom rnd = new SplittableRandom(CrashImage.mix(r.seed() ^ CrashImage.mix(state.point() + 1L)));
        for (int sample = 0; sample < r.samplesPerPoint(); sample++) {
            reset(f);
            for (int i = 0; i < f.lineCount(); i++) {
                int n = f.length(i);
                // all-or-nothing per line is where most ordering bugs show, so favour it
                int choice = switch (rnd.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> n;
                    default -> rnd.nextInt(n + 1);
                };
                applyLinePrefix(f, i, choice);
            }
            check(f, r, sample);
        }
    }

    private void lineLost(InFlight f, CrashStrategy.LineLost l) {
        int lines = f.lineCount();
        for (int lost = 0; lost < lines; lost++) {
            reset(f);
            for (int i = 0; i < lines; i++) {
                if (i != lost) {
                    applyLinePrefix(f, i, f.length(i));
                }
            }
            check(f, l, lost);
        }
    }

    private void exhaustive(InFlight f, CrashStrategy.Exhaustive e) {
        exhaustive(f, e, e);
    }

    /** Enumerates every per-line combination; failures are reported under {@code reportedAs}. */
    private void exhaustive(InFlight f, CrashStrategy.Exhaustive e, CrashStrategy reportedAs) {
        long combinations = f.combinations(e.limitPerPoint());
        if (combinations > e.limitPerPoint()) {
            overLimit++;
            return;
        }
        int lines = f.lineCount();
        int[] digits = new int[lines];
        for (long c = 0; c < combinations; c++) {
            reset(f);
            for (int i = 0; i < lines; i++) {
                applyLinePrefix(f, i, digits[i]);
            }
            check(f, reportedAs, c);
            // odometer over per-line prefix lengths
            for (int i = 0; i < lines; i++) {
                if (++digits[i] <= f.length(i)) {
                    break;
                }
                digits[i] = 0;
            }
        }
    }

    // ---- building images ----------------------------------------------------------------------

    private void reset(InFlight f) {
        image.rollBack();
        java.util.Arrays.fill(applied, 0, f.lineCount(), 0);
    }

    private void applyLinePrefix(InFlight f, int line, int prefix) {
        for (int j = applied[line]; j < prefix; j++) {
            int g = f.store(line, j);
            image.applyInFlight(trace.granuleOffset(g), trace.granuleValue(g));
        }
        applied[line] = Math.max(applied[line], prefix);
    }

    private void applyNextInOrder(InFlight f, int k) {
        int g = f.orderedStore(k);
        image.applyInFlight(trace.granuleOffset(g), trace.granuleValue(g));
        applied[f.orderedLine(k)]++;
    }

    // ---- checking -----------------------------------------------------------------------------

    private void check(InFlight f, CrashStrategy strategy, long sample) {
        candidates++;
        if (!seen.add(image.keyA(state.size()), image.keyB())) {
            return;
        }
        checkerCalls++;
        Throwable failure = null;
        try {
            checker.check(medium);
        } catch (Exception | AssertionError e) {
            failure = e;
        } finally {
            medium.restore();
        }
        if (failure != null) {
            recordFailure(f, strategy, sample, failure);
        }
    }

    private void recordFailure(InFlight f, CrashStrategy strategy, long sample, Throwable cause) {
        failing++;
        if (failures.size() >= maxReported) {
            return;
        }
        int n = f.lineCount();
        long[] lines = new long[n];
        int[] inFlight = new int[n];
        for (int i = 0; i < n; i++) {
            lines[i] = f.line(i);
            inFlight[i] = f.length(i);
        }
        CrashSelection selection = new CrashSelection(state.point(), lines, java.util.Arrays.copyOf(applied, n), inFlight);
        boolean end = state.pointEvent() == trace.eventCount();
        CrashFailure failure = new CrashFailure(state.point(), state.pointEvent(), end, strategy.name(), strategy.seed(),
                sample, selection, cause, null);
        if (artifacts != null) {
            try {
                failure = artifacts.save(failure, image.segment(state.size()), unflushedInFlight);
            } catch (IOException e) {
                throw new UncheckedIOException("could not save the failing crash image to " + artifacts.directory(), e);
            }
        }
        failures.add(failure);
    }
}
