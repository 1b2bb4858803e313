package dev.engram.pool;

import java.nio.file.Path;

/** Child-process helper: tries a FORCE_PMEM create and prints the outcome (run without the JVM flags). */
public final class ForcedPmemOpenMain {
    private ForcedPmemOpenMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.create(Path.of(args[0]), PoolOptions.defaults().withSize(1 << 20).withPolicy(MappingPolicy.FORCE_PMEM))) {
            System.out.println("OPENED " + pool.info().mediumKind());
        } catch (EngramException e) {
            System.out.println("ERROR " + e.code() + " " + e.getMessage());
        }
    }
}
