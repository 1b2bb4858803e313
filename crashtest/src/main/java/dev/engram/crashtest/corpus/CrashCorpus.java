package dev.engram.crashtest.corpus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The registry of seeded-bug variants: the built-in reference set plus every registered provider. */
public final class CrashCorpus {
    private CrashCorpus() {
    }

    /** {@return the variants on the reference structures shipped with the harness} */
    public static List<CrashVariant> builtIn() {
        return new ReferenceVariants().variants();
    }

    /**
     * {@return the built-in variants followed by those of every {@link CrashVariantProvider} on the class or
     * module path}
     */
    public static List<CrashVariant> all() {
        List<CrashVariant> all = new ArrayList<>(builtIn());
        for (CrashVariantProvider p : ServiceLoader.load(CrashVariantProvider.class)) {
            if (!(p instanceof ReferenceVariants)) {
                all.addAll(p.variants());
            }
        }
        Set<String> names = new HashSet<>();
        for (CrashVariant v : all) {
            if (!names.add(v.name())) {
                throw new IllegalStateException("two crash variants are named '" + v.name() + "': names must be unique");
            }
        }
        return List.copyOf(all);
    }
}
