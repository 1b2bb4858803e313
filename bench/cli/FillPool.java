import dev.engram.pool.PoolOptions;
import dev.engram.tx.MemoryBlock;
import dev.engram.tx.ObjectLayout;
import dev.engram.tx.ObjectPool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fills an Engram pool for the CLI benchmarks and pictures (run with the source launcher:
 * java -cp engram-cli-*-all.jar FillPool.java POOL SIZE COUNT SHAPE FREE_FRACTION SEED).
 * SHAPE "uniform64": COUNT objects of 64 bytes (the shape of pmdk_fill.c); "mixed": sizes from
 * 16 B to 1 MiB, mostly small, so that many size classes and spans appear. Then frees a seeded
 * random FREE_FRACTION of them, which leaves the heap fragmented.
 */
public final class FillPool {
    public static void main(String[] a) {
        Path path = Path.of(a[0]);
        long size = Long.parseLong(a[1]);
        int count = Integer.parseInt(a[2]);
        boolean mixed = a[3].equals("mixed");
        double free = Double.parseDouble(a[4]);
        Random rnd = new Random(Long.parseLong(a[5]));
        PoolOptions o = PoolOptions.defaults().withSize(size).withSparse(true);
        long t0 = System.nanoTime();
        try (ObjectPool p = ObjectPool.create(path, ObjectLayout.named("bench"), o)) {
            List<Long> all = new ArrayList<>(count);
            int batch = 1000;
            for (int done = 0; done < count; done += batch) {
                int n = Math.min(batch, count - done);
                p.run(tx -> {
                    for (int i = 0; i < n; i++) {
                        long s = mixed ? mixedSize(rnd) : 64;
                        MemoryBlock b = p.allocateBlock(s, 16 + (int) (Long.numberOfTrailingZeros(Long.highestOneBit(s))));
                        all.add(b.offset());
                    }
                });
            }
            int toFree = (int) (all.size() * free);
            java.util.Collections.shuffle(all, rnd);
            // Frees touch scattered bitmap words, each one redo entry: smaller batches fit the lane's redo log.
            int freeBatch = 100;
            for (int done = 0; done < toFree; done += freeBatch) {
                int from = done;
                int to = Math.min(toFree, done + freeBatch);
                p.run(tx -> {
                    for (int i = from; i < to; i++) {
                        p.free(p.block(all.get(i)));
                    }
                });
            }
        }
        System.out.printf("filled %s: %d objects (%s), freed %.0f%%, %.1f s%n", path, count, a[3], free * 100,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Mostly small objects, a long tail up to 1 MiB. */
    private static long mixedSize(Random r) {
        double u = r.nextDouble();
        if (u < 0.90) {
            return 16 + r.nextInt(1000);
        }
        if (u < 0.995) {
            return 1024 + r.nextInt(64 << 10);
        }
        return (256 << 10) + r.nextInt(768 << 10);
    }
}
