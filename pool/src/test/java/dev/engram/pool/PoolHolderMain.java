package dev.engram.pool;

import java.nio.file.Path;

/** Child-process helper: opens a pool, says READY, holds it until stdin closes. */
public final class PoolHolderMain {
    private PoolHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean readOnly = args.length > 1 && args[1].equals("ro");
        try (Pool pool = Pool.open(Path.of(args[0]), PoolOptions.defaults().withReadOnly(readOnly).withPolicy(MappingPolicy.PAGE_CACHE))) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the pool until the parent closes our stdin
            }
        } catch (EngramException e) {
            System.out.println("ERROR " + e.code() + " " + e.getMessage());
        }
    }
}
