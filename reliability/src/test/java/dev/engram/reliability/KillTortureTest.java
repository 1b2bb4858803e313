package dev.engram.reliability;

import dev.engram.collections.PersistentCollections;
import dev.engram.collections.PersistentHashMap;
import dev.engram.collections.PersistentList;
import dev.engram.pool.MappingPolicy;
import dev.engram.tx.ObjectPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 torture (issue #9): a child JVM ({@link TortureChild}) runs seeded transactions, each
 * updating a persistent hash map and a persistent list together ({@link TortureWorkload}), and
 * acknowledges each on its stdout (a pipe) only after commit and {@code pool.drain()}. The parent
 * SIGKILLs it ({@link ProcessHandle#destroyForcibly()}, SIGKILL on Linux) at a seeded random moment, reopens
 * the pool in its own JVM (which runs recovery) and checks, then starts the next child on the same
 * pool.
 *
 * <p><b>Kill moments</b>, drawn from the seed per round: after the child's k-th acknowledgement
 * (k in 1..40, 1..15 in page-cache mode where each drain is an msync: mostly mid-transaction or mid-drain of the next one), after a random 0..40 ms once the
 * child reported it is ready, or at a random 0..300 ms after the parent told it to go (during the
 * pool's open and recovery, or the first transactions). Each child is started (and warms up on a
 * scratch pool) while the parent checks the previous round, and opens the pool only on GO. One round in five the parent skips its
 * check, so the next child itself recovers the killed child's pool, and may be killed while doing so.
 *
 * <p><b>What must hold after each checked round</b>: the list is exactly {@code [1..N]} (no hole, no
 * duplicate, no transaction half-applied on the list side); every acknowledged transaction is in it
 * ({@code N >= last ack}) and at most the unacknowledged in-flight ones beyond it ({@code N <= last
 * ack + 1 + skipped checks}); the map equals the replay of transactions 1..N (so map and list agree);
 * the heap check finds no problem and the allocated blocks are exactly the blocks the collections
 * reach (no leak from an interrupted allocation or free, no undo overflow buffer left behind). The
 * acknowledgements are read to the end of the pipe after the kill, so every line the child wrote
 * before dying counts.
 *
 * <p><b>Campaign size</b>: {@code engram.torture.kills} kills in total (CI 100, {@code -Ptorture}
 * 1,000), half on a page-cache pool in a temporary directory on disk, half on a forced-pmem pool on
 * {@code /dev/shm}. The seed is printed and can be fixed with {@code -Dengram.torture.seed=...};
 * the rounds, their kill moments and every transaction's content then repeat (where exactly the kill
 * lands in the child's execution does not).
 *
 * <p><b>Record</b>: with {@code -Dengram.torture.out=FILE} (set by {@code -Ptorture} to
 * {@code bench/results/reliability-torture.json}) the campaign's figures are written there after
 * both modes ran, passed or not ({@link CampaignRecord}): kills attempted and survived (a kill
 * survived when a later check of the pool passed), transactions acknowledged and verified (in the
 * final pool, equal to the replayed model), leaked blocks, check failures, per mode and in total.
 */
class KillTortureTest {
    static final int KILLS = Integer.getInteger("engram.torture.kills", 100);
    static final Path SHM = Path.of("/dev/shm");
    /** A child stops by itself after this many transactions; a kill always comes well before. */
    static final int MAX_TX_PER_CHILD = 5_000;
    static final long DEFAULT_SEED = 0x70_27_0009L;
    /** One entry per mode that ran in this JVM, for the campaign record. */
    private static final List<Map<String, Object>> MODES = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = MappingPolicy.class, names = {"PAGE_CACHE", "FORCE_PMEM"})
    void everyAcknowledgedTransactionSurvivesSigkillAndNoneIsHalfApplied(MappingPolicy policy) throws Exception {
        long seed = Long.getLong("engram.torture.seed", DEFAULT_SEED) + policy.ordinal(); // fixed in CI: reproducible
        int kills = (KILLS + 1) / 2;
        System.out.println("KillTortureTest " + policy + " seed: " + seed + " kills: " + kills);
        Path dir = policy == MappingPolicy.FORCE_PMEM && Files.isDirectory(SHM)
                ? Files.createTempDirectory(SHM, "engram-torture-") : tmp;
        Campaign campaign = new Campaign(policy, dir.resolve("torture.pool"), seed);
        Instant start = Instant.now();
        Throwable failure = null;
        try {
            Result r = campaign.run(kills);
            System.out.println("KillTortureTest " + policy + " seed " + seed + ": " + r);
            assertThat(r.kills).as("SIGKILLs that landed (seed %d)", seed).isEqualTo(kills);
            assertThat(r.verifiedTransactions).as("transactions in the final pool (seed %d)", seed).isPositive();
        } catch (Exception | AssertionError e) {
            failure = e;
            throw e;
        } finally {
            MODES.add(campaign.record(Duration.between(start, Instant.now()), failure));
            if (!dir.equals(tmp)) {
                deleteTree(dir);
            }
        }
    }

    /** Writes the campaign record when {@code engram.torture.out} names a file (the torture profile). */
    @AfterAll
    static void writeCampaignRecord() {
        if (CampaignRecord.target("engram.torture.out") == null || MODES.isEmpty()) {
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("campaign", "KillTortureTest");
        r.put("date", CampaignRecord.now());
        r.put("command", System.getProperty("engram.torture.command", "(not given)") + " -Dengram.torture.kills=" + KILLS
                + (System.getProperty("engram.torture.seed") != null ? " -Dengram.torture.seed=" + System.getProperty("engram.torture.seed") : ""));
        r.put("seed", Long.getLong("engram.torture.seed", DEFAULT_SEED));
        for (String total : List.of("killsAttempted", "killsSurvived", "transactionsAcknowledged", "transactionsVerified",
                "unacknowledgedButCommitted", "checks", "leaksFound", "checkFailures", "seconds")) {
            r.put(total, MODES.stream().mapToLong(m -> ((Number) m.get(total)).longValue()).sum());
        }
        r.put("modes", List.copyOf(MODES));
        CampaignRecord.writeIfRequested("engram.torture.out", r);
    }

    record Result(int kills, int checks, long verifiedTransactions, long acknowledged, int killedBeforeReady,
                  long unacknowledgedButCommitted) {
    }

    /** One pool, many children; all state the parent carries from round to round. */
    static final class Campaign {
        final MappingPolicy policy;
        final Path path;
        final long seed;
        final SplittableRandom rounds;
        final Map<Long, String> modelMap = new HashMap<>();
        final List<Long> modelList = new ArrayList<>();
        /** Highest id known to be durable: acknowledged, or seen in the pool by a check. */
        long floor;
        /** Rounds since the last check: each may have committed one unacknowledged transaction. */
        int unchecked;
        int kills;
        /** Kills covered by a check that passed: every kill before the last passing check. */
        int survived;
        int checks;
        int killedBeforeReady;
        long acknowledged;
        long committedUnacked;
        /** Allocated blocks no collection reaches, summed over the checks. */
        long leaked;

        Campaign(MappingPolicy policy, Path path, long seed) {
            this.policy = policy;
            this.path = path;
            this.seed = seed;
            this.rounds = new SplittableRandom(seed);
        }

        Result run(int targetKills) throws Exception {
            try (ObjectPool pool = ObjectPool.create(path, TortureWorkload.LAYOUT, TortureWorkload.options(policy))) {
                PersistentCollections c = PersistentCollections.of(pool);
                TortureWorkload.map(c);
                TortureWorkload.list(c);
            }
            Process next = startChild();
            try {
                for (int round = 0; round < targetKills; round++) {
                    boolean check = round == targetKills - 1 || rounds.nextInt(5) != 0;
                    Process child = next;
                    next = null;
                    killOneChild(round, child);
                    if (round < targetKills - 1) {
                        next = startChild();
                    }
                    if (check) {
                        check(round);
                    }

                }
            } finally {
                if (next != null) {
                    next.destroyForcibly();
                    next.waitFor(60, TimeUnit.SECONDS);
                }
            }
            return new Result(kills, checks, modelList.size(), acknowledged, killedBeforeReady, committedUnacked);
        }

        /** This mode's figures, also when it failed part-way (then the kills after the last passing check did not survive). */
        Map<String, Object> record(Duration took, Throwable failure) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", policy.name());
            m.put("seed", seed);
            m.put("killsAttempted", kills);
            m.put("killsSurvived", survived);
            m.put("transactionsAcknowledged", acknowledged);
            m.put("transactionsVerified", modelList.size());
            m.put("unacknowledgedButCommitted", committedUnacked);
            m.put("checks", checks);
            m.put("killedBeforeReady", killedBeforeReady);
            m.put("leaksFound", leaked);
            m.put("checkFailures", failure == null ? 0 : 1);
            m.put("failure", failure == null ? null : String.valueOf(failure.getMessage()).lines().limit(5)
                    .reduce((a, b) -> a + " / " + b).orElse(failure.getClass().getName()));
            m.put("seconds", took.toSeconds());
            return m;
        }

        /** A child that warms up and then waits for GO, so its start-up overlaps the parent's check. */
        private Process startChild() throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // Short-lived children: the serial collector starts fastest. Not -XX:TieredStopAtLevel=1
            // (nor -Xint): without C2, JDK 25's Unsafe.writebackMemory jumps to a null stub and the
            // forced-pmem medium crashes the JVM (see RegressionTest / the module's report).
            return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dkryo.unsafe=false",
                    "-Xmx192m", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-XX:ErrorFile=" + path.resolveSibling("hs_err_%p.log"),
                    "-cp", System.getProperty("java.class.path"), TortureChild.class.getName(), policy.name(),
                    path.toString(), Long.toString(seed), Integer.toString(MAX_TX_PER_CHILD))
                    .redirectErrorStream(true).start();
        }

        private void killOneChild(int round, Process child) throws Exception {
            child.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            List<String> output = new ArrayList<>();
            String trigger;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int kind = rounds.nextInt(10);
                if (kind < 5) {
                    // a page-cache drain is an msync to disk: fewer acks keep the rounds short
                    int acks = 1 + rounds.nextInt(policy == MappingPolicy.PAGE_CACHE ? 15 : 40);
                    trigger = "after ack #" + acks;
                    int seen = 0;
                    String line;
                    while (seen < acks && (line = out.readLine()) != null) {
                        output.add(line);
                        if (line.startsWith("ACK ")) {
                            seen++;
                        }
                    }
                } else if (kind < 8) {
                    int millis = rounds.nextInt(41);
                    trigger = millis + " ms after READY";
                    String line;
                    while ((line = out.readLine()) != null) {
                        output.add(line);
                        if (line.startsWith("READY ")) {
                            break;
                        }
                    }
                    child.waitFor(millis, TimeUnit.MILLISECONDS);
                } else {
                    int millis = rounds.nextInt(301);
                    trigger = millis + " ms after GO";
                    child.waitFor(millis, TimeUnit.MILLISECONDS);
                }
                // SIGKILL through the handle: Process.destroyForcibly() would also close our end of
                // the pipe, losing the acknowledgements the child wrote just before it died.
                // (false when the child already exited by itself: the exit code check reports it)
                child.toHandle().destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("killed child exits").isTrue();
                // The pipe keeps what the child wrote before it died: read it all.
                String line;
                while ((line = out.readLine()) != null) {
                    output.add(line);
                }
            }
            kills++; // attempted: the SIGKILL was sent
            String context = "round " + round + " (" + trigger + "), seed " + seed + ", child output:\n"
                    + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size()));
            assertThat(child.exitValue()).as("exit code of a SIGKILLed child (137), %s", context).isEqualTo(137);
            boolean ready = false;
            for (String line : output) {
                if (line.startsWith("READY ")) {
                    ready = true;
                    long start = Long.parseLong(line.substring(6));
                    assertThat(start).as("child starts after every durable transaction, %s", context).isGreaterThanOrEqualTo(floor);
                } else if (line.startsWith("ACK ")) {
                    long id = Long.parseLong(line.substring(4));
                    assertThat(id).as("acknowledgements are consecutive, %s", context).isGreaterThan(floor);
                    floor = id;
                    acknowledged++;
                } else {
                    throw new AssertionError("unexpected child output, " + context);
                }
            }
            if (!ready) {
                killedBeforeReady++;
            }
            unchecked++;
            lastContext = context;
        }

        private String lastContext;

        private void check(int round) {
            String context = lastContext;
            try (ObjectPool pool = ObjectPool.open(path, TortureWorkload.LAYOUT, TortureWorkload.options(policy))) {
                PersistentCollections c = PersistentCollections.of(pool);
                PersistentHashMap<Long, String> map = TortureWorkload.map(c);
                PersistentList<Long> list = TortureWorkload.list(c);
                List<Long> ids = new ArrayList<>(list);
                long n = ids.size();
                assertThat(n).as("every acknowledged transaction is durable, %s", context).isGreaterThanOrEqualTo(floor);
                assertThat(n).as("no more than the in-flight transactions beyond the last ack, %s", context)
                        .isLessThanOrEqualTo(floor + unchecked);
                for (int i = 0; i < n; i++) {
                    if (ids.get(i) != i + 1) {
                        throw new AssertionError("list[" + i + "] = " + ids.get(i) + ", expected " + (i + 1)
                                + " (a transaction lost or duplicated), " + context);
                    }
                }
                assertThat(n).as("a check never sees fewer transactions than the last one, %s", context)
                        .isGreaterThanOrEqualTo(modelList.size());
                for (long t = modelList.size() + 1; t <= n; t++) {
                    TortureWorkload.apply(seed, t, modelMap, modelList);
                }
                assertThat(new HashMap<>(map)).as("map = replay of transactions 1..%d, %s", n, context).isEqualTo(modelMap);
                assertThat(map.size()).as("map size, %s", context).isEqualTo(modelMap.size());
                TortureWorkload.assertHeapExact(pool, c, context, leaks -> leaked += leaks);
                committedUnacked += n - floor;
                survived = kills;
                floor = n;
                unchecked = 0;
                checks++;
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
