import dev.engram.cli.Engram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Times 'engram check POOL' inside one JVM (Engram.execute, output discarded), for the in-process
 * half of check-vs-pmempool.sh: the first check of the process (cold: class loading, interpreter,
 * JIT warm-up), then the median and minimum of RUNS checks after WARMUP more. Run with the source
 * launcher and the launcher's JVM flags: java ... -cp engram-cli-*-all.jar CheckInProcess.java POOL WARMUP RUNS
 * Prints "first=<ms> median=<ms> min=<ms> exit=<code>", the same line as pmdk_check.c.
 */
public final class CheckInProcess {
    public static void main(String[] a) {
        String pool = a[0];
        int warmup = Integer.parseInt(a[1]);
        int runs = Integer.parseInt(a[2]);
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        String[] args = {"check", pool};
        long t0 = System.nanoTime();
        int exit = Engram.execute(args, none, none);
        double first = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < warmup; i++) {
            Engram.execute(args, none, none);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            int e = Engram.execute(args, none, none);
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (e != exit) {
                throw new IllegalStateException("exit code changed from " + exit + " to " + e);
            }
        }
        Arrays.sort(ms);
        System.out.printf("first=%.3f median=%.3f min=%.3f exit=%d%n", first, ms[(runs - 1) / 2], ms[0], exit);
    }
}
