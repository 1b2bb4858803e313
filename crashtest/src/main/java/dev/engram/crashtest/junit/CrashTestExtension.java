package dev.engram.crashtest.junit;

import dev.engram.crashtest.CrashExplorer;
import dev.engram.crashtest.CrashFailure;
import dev.engram.crashtest.CrashReport;
import dev.engram.crashtest.CrashStrategy;
import dev.engram.crashtest.Trace;
import dev.engram.crashtest.TracingMedium;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Runs {@link CrashTest} methods. A {@code @CrashTest} method is a test template with these
 * invocations, in order:
 * <ol>
 *   <li><b>explore</b>: the method runs and fills in its {@link CrashScenario}; then the setup runs on a
 *       fresh memory medium, the workload on a {@link TracingMedium} over it, and the
 *       {@link CrashExplorer} checks every distinct crash image (prefixes at every drain, seeded random
 *       per-line prefixes, exhaustive where small). This invocation fails only if the scenario itself
 *       cannot run (e.g. the workload throws); it publishes the summary as a report entry
 *       ({@code crashtest.summary}: points, images, checker calls, failures).</li>
 *   <li>one <b>failing image</b> result per reported failure, named after its crash point and subset,
 *       failing with the checker's error and saying where the image, trace and seed were saved
 *       (replay them with {@link dev.engram.crashtest.CrashReplay}).</li>
 * </ol>
 *
 * <pre>{@code
 * class TransferCrashTest {
 *     @TempDir Path failures;
 *
 *     @CrashTest(seed = 7)
 *     void transfer(CrashScenario s) {
 *         s.size(4096)
 *          .setup(m -> { m.putLong(0, 100); m.persist(0, 8); })
 *          .workload(m -> Bank.transfer(m, 10))
 *          .invariant(m -> { Bank.recover(m); assertThat(Bank.total(m)).isEqualTo(100); })
 *          .saveFailuresTo(failures);
 *     }
 * }
 * }</pre>
 *
 * <p>The failure results are produced after the exploration, so the invocations of one method must
 * run in order; {@link CrashTest} pins them to one thread.
 */
public final class CrashTestExtension implements TestTemplateInvocationContextProvider {
    /** System property naming the default directory for saved failures. */
    public static final String FAILURE_DIR_PROPERTY = "engram.crashtest.failures";

    /** Instantiated by JUnit through {@link CrashTest}'s {@code @ExtendWith}. */
    public CrashTestExtension() {
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        return m.isAnnotationPresent(CrashTest.class) && m.getParameterCount() == 1
                && m.getParameterTypes()[0] == CrashScenario.class;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        CrashTest config = context.getRequiredTestMethod().getAnnotation(CrashTest.class);
        Run run = new Run(config, context);
        Spliterator<TestTemplateInvocationContext> failures = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private int next;

            @Override
            public boolean tryAdvance(Consumer<? super TestTemplateInvocationContext> action) {
                // pulled only after the explore invocation ran (same thread, in order)
                if (run.report == null || next >= run.report.failures().size()) {
                    return false;
                }
                action.accept(new FailureInvocation(run.report.failures().get(next++)));
                return true;
            }
        };
        return Stream.concat(Stream.of(new ExploreInvocation(run)), StreamSupport.stream(failures, false));
    }

    /** State shared by the invocations of one template. */
    private static final class Run {
        final CrashTest config;
        final Path defaultDir;
        CrashScenario scenario;
        CrashReport report;

        Run(CrashTest config, ExtensionContext context) {
            this.config = config;
            Path root = Path.of(System.getProperty(FAILURE_DIR_PROPERTY, "target/crashtest-failures"));
            this.defaultDir = root.resolve(context.getRequiredTestClass().getName())
                    .resolve(context.getRequiredTestMethod().getName());
        }

        void explore(ExtensionContext context) throws Exception {
            CrashScenario s = scenario;
            s.checkComplete();
            Trace trace = TracingMedium.record(s.size(), s.setup(), s.workload());
            CrashExplorer explorer = CrashExplorer.builder()
                    .strategies(CrashStrategy.prefixes(), CrashStrategy.random(config.seed(), config.samplesPerPoint()),
                            CrashStrategy.exhaustive(config.exhaustiveLimit()), CrashStrategy.lineLost())
                    .maxReportedFailures(config.maxReportedFailures())
                    .saveFailuresTo(s.failureDir() != null ? s.failureDir() : defaultDir)
                    .build();
            report = explorer.explore(trace, s.invariant());
            context.publishReportEntry("crashtest.summary", report.summary());
        }
    }

    /** Resolves the scenario parameter: the run's scenario for exploring, a throwaway one otherwise. */
    private record ScenarioResolver(Run run) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == CrashScenario.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            if (run == null) {
                return new CrashScenario();
            }
            run.scenario = new CrashScenario();
            return run.scenario;
        }
    }

    private record ExploreInvocation(Run run) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "explore crash images (seed " + run.config.seed() + ")";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            InvocationInterceptor explore = new InvocationInterceptor() {
                @Override
                public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                                        ReflectiveInvocationContext<Method> ctx,
                                                        ExtensionContext extensionContext) throws Throwable {
                    invocation.proceed();
                    run.explore(extensionContext);
                }
            };
            return List.of(new ScenarioResolver(run), explore);
        }
    }

    private record FailureInvocation(CrashFailure failure) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            String at = failure.endOfTrace() ? "end of trace" : "drain #" + failure.point();
            return "failing image at " + at + " [" + failure.selection() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            InvocationInterceptor fail = new InvocationInterceptor() {
                @Override
                public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                                        ReflectiveInvocationContext<Method> ctx,
                                                        ExtensionContext extensionContext) {
                    invocation.skip();
                    throw new AssertionError(failure.describe(), failure.cause());
                }
            };
            return List.of(new ScenarioResolver(null), fail);
        }
    }
}
