package dev.engram.reliability;

import dev.engram.pool.EngramException;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The fuzzers' oracle: an input passes when the target returns normally or throws an
 * {@link EngramException}; anything else (a runtime exception of another type, an {@link Error}, an
 * assertion of a target property) fails with the input's description. Each input runs on a worker
 * thread with a bound ({@link #BOUND}): a target that does not return within it is an endless loop
 * and fails, with the worker's stack. The bound is far above the milliseconds an input takes; it
 * catches hangs, it does not measure speed.
 */
final class FuzzOracle implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(20);

    private final AtomicReference<Thread> worker = new AtomicReference<>();
    private final Duration bound;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private ExecutorService executor = newExecutor();

    FuzzOracle() {
        this(BOUND);
    }

    FuzzOracle(Duration bound) {
        this.bound = bound;
    }

    /** How many inputs ended how: "ok" or the error code of the typed rejection. */
    Map<String, Long> outcomes() {
        return outcomes;
    }

    private ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            worker.set(t);
            return t;
        });
    }

    /** Runs one input; returns null when it passed, else the failure (an unexpected throwable or a hang). */
    Throwable check(Runnable body) {
        Future<Throwable> f = executor.submit(() -> {
            try {
                body.run();
                count("ok");
                return null;
            } catch (EngramException e) {
                count(e.code().toString());
                return null;
            } catch (Throwable t) {
                count("FAILED");
                return t;
            }
        });
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Thread t = worker.get();
            count("HANG");
            AssertionError hang = new AssertionError("input did not finish within " + bound + " (endless loop?)");
            if (t != null) {
                hang.setStackTrace(t.getStackTrace());
            }
            f.cancel(true);
            executor.shutdownNow();
            executor = newExecutor();
            return hang;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private synchronized void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    /** Fails with the input's description and the failure's stack. */
    static AssertionError failure(Supplier<String> input, Throwable t) {
        AssertionError e = new AssertionError("fuzz input failed the oracle: " + input.get() + "\n  -> " + t
                + "\n  at " + String.join("\n  at ", Arrays.stream(t.getStackTrace()).limit(25).map(String::valueOf).toList()), t);
        return e;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
