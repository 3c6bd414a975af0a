package io.rpctrace.reactor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.MonoOperator;

/**
 * Which assembled operators the {@link ScopeLifter} wraps: only the <em>boundaries</em> of a chain,
 * where a signal can reach the next subscriber on another thread, or in another subscriber's scope,
 * than the signal, request or subscription that caused it. Everything between two boundaries runs
 * on the thread, and so in the scope, that the boundary below it restored.
 *
 * <p>A boundary is an operator that is not one of reactor-core's synchronous operators below:
 * scheduler hops ({@code publishOn}, {@code subscribeOn}, {@code parallel().runOn()}), timers
 * ({@code delay*}, {@code timeout}, {@code interval}), sources fed from other threads
 * ({@code create}, {@code fromFuture}, {@code Mono.from}/{@code Flux.from} of another library's
 * publisher), multicast operators whose one upstream signal reaches many subscribers
 * ({@code cache}, {@code share}, {@code publish}, {@code replay}), multi-valued sources whose
 * elements a downstream request pulls ({@code range}, {@code fromIterable}, {@code fromArray}),
 * any operator this list does not know; and any operator assembled on a publisher that is not
 * one of those known ones and was not wrapped itself (another library's {@code Flux}/{@code Mono},
 * such as Reactor Netty's receive publisher, or a sink).
 *
 * <p>Design note: the decision is made once per operator class ({@link ClassValue}), at assembly,
 * so the roughly hundred synchronous operators a WebFlux request assembles get no lift publisher
 * and no wrapper at all: that was almost all of what the reactor module cost per request.
 */
final class OperatorBoundaries {
    private static final String PACKAGE = "reactor.core.publisher.";

    /**
     * reactor-core's publishers without an upstream (or with several) whose signals stay on the
     * thread of what caused them; and the lift publishers, which stand for an operator already wrapped.
     */
    private static final Set<String> SYNCHRONOUS_SOURCES = new HashSet<>(Arrays.asList(
            // sources that emit once, on the subscribing or requesting thread
            "MonoJust", "MonoEmpty", "MonoError", "MonoErrorSupplied", "MonoCallable", "MonoSupplier",
            "MonoRunnable", "MonoDefer", "MonoDeferContextual", "MonoCurrentContext", "MonoNever",
            "MonoCallableOnAssembly", "FluxJust", "FluxEmpty", "FluxError", "FluxErrorSupplied",
            "FluxErrorOnRequest", "FluxDefer", "FluxDeferContextual", "FluxNever", "FluxCallable",
            "FluxCallableOnAssembly",
            // combinations: they signal on the thread of an inner chain's signal (itself in scope)
            "MonoZip", "FluxZip", "FluxZipIterable", "MonoWhen", "FluxConcatArray", "FluxConcatIterable",
            "FluxMerge", "FluxMergeSequential", "FluxMergeComparing", "FluxCombineLatest",
            "MonoFirstWithSignal", "FluxFirstWithSignal", "MonoFirstWithValue", "FluxFirstWithValue",
            "MonoIgnoreThen", "MonoUsing", "FluxUsing", "MonoUsingWhen", "FluxUsingWhen",
            "MonoSequenceEqual",
            // an operator already wrapped: the lift publisher stands for it
            "MonoLift", "MonoLiftFuseable", "FluxLift", "FluxLiftFuseable", "ParallelLift",
            "ParallelLiftFuseable", "ConnectableLift", "ConnectableLiftFuseable", "GroupedLift",
            "GroupedLiftFuseable"));

    /** reactor-core's operators of one upstream and one subscriber, with no thread of their own. */
    private static final Set<String> SYNCHRONOUS_OPERATORS = new HashSet<>(Arrays.asList(
            "MonoMap", "MonoMapFuseable", "FluxMap", "FluxMapFuseable", "FluxMapSignal",
            "MonoFilter", "MonoFilterFuseable", "FluxFilter", "FluxFilterFuseable", "MonoFilterWhen",
            "FluxFilterWhen", "MonoPeek", "MonoPeekFuseable", "MonoPeekTerminal", "FluxPeek",
            "FluxPeekFuseable", "MonoDoOnEach", "MonoDoOnEachFuseable", "FluxDoOnEach",
            "FluxDoOnEachFuseable", "MonoDoFinally", "FluxDoFinally", "MonoDoFirst", "MonoDoFirstFuseable",
            "FluxDoFirst", "FluxDoFirstFuseable", "MonoContextWrite", "FluxContextWrite",
            "MonoContextWriteRestoringThreadLocals", "FluxContextWriteRestoringThreadLocals",
            "FluxContextWriteRestoringThreadLocalsFuseable", "MonoOnErrorResume", "FluxOnErrorResume",
            "MonoOnErrorReturn", "FluxOnErrorReturn", "MonoSwitchIfEmpty", "FluxSwitchIfEmpty",
            "MonoDefaultIfEmpty", "FluxDefaultIfEmpty", "MonoNext", "MonoSingle", "MonoSingleMono",
            "MonoSingleCallable", "MonoSingleOptional", "MonoSingleOptionalCallable", "MonoHasElement",
            "MonoHasElements", "MonoIgnoreElement", "MonoIgnoreElements", "MonoIgnorePublisher",
            "MonoCollect", "MonoCollectList", "MonoStreamCollector", "MonoReduce", "MonoReduceSeed",
            "MonoCount", "MonoAll", "MonoAny", "MonoElementAt", "MonoTakeLastOne", "FluxTake",
            "FluxTakeFuseable", "FluxTakeLast", "FluxTakeLastOne", "FluxTakeWhile", "FluxTakeUntil",
            "FluxSkip", "FluxSkipWhile", "FluxSkipLast", "FluxSkipUntil", "FluxDistinct",
            "FluxDistinctFuseable", "FluxDistinctUntilChanged", "MonoHandle", "MonoHandleFuseable",
            "FluxHandle", "FluxHandleFuseable", "MonoTap", "MonoTapFuseable", "FluxTap", "FluxTapFuseable",
            "MonoLog", "MonoLogFuseable", "FluxLog", "FluxLogFuseable", "MonoOnAssembly", "FluxOnAssembly",
            "MonoHide", "FluxHide", "FluxIndex", "FluxIndexFuseable", "MonoName", "MonoNameFuseable",
            "FluxName", "FluxNameFuseable", "MonoMetrics", "MonoMetricsFuseable", "FluxMetrics",
            "FluxMetricsFuseable", "MonoFlatMap", "MonoFlatMapMany", "FluxFlatMap", "MonoFlattenIterable",
            "FluxFlattenIterable", "FluxConcatMap", "FluxConcatMapNoPrefetch", "FluxSwitchMap",
            "FluxSwitchMapNoPrefetch", "MonoRetry", "FluxRetry", "MonoRetryWhen", "FluxRetryWhen",
            "MonoRepeat", "FluxRepeat", "MonoRepeatPredicate", "FluxRepeatPredicate", "MonoRepeatWhen",
            "FluxRepeatWhen", "MonoFromFluxOperator", "FluxFromMonoOperator", "FluxSourceMono",
            "FluxSourceMonoFuseable", "MonoSourceFlux", "MonoSourceFluxFuseable", "MonoDelayUntil",
            "MonoMaterialize", "FluxMaterialize", "MonoDematerialize", "FluxDematerialize", "FluxScan",
            "FluxScanSeed", "FluxBuffer", "FluxBufferPredicate", "FluxWindowPredicate", "FluxLimitRequest",
            "MonoExpand", "FluxExpand", "MonoTimed", "FluxTimed", "MonoElapsed", "FluxElapsed"));

    private static final byte BOUNDARY = 0;
    private static final byte SOURCE = 1;
    /** A synchronous operator on one upstream, a {@code MonoOperator}: its parent is read through that class. */
    private static final byte MONO_OPERATOR = 2;
    /** The same, a {@code FluxOperator}. */
    private static final byte FLUX_OPERATOR = 3;
    /** The same, any other {@code Scannable}, or one whose {@code source} field cannot be read: read through {@code scanUnsafe}. */
    private static final byte OPERATOR = 4;
    /** The same, a {@code MonoFromFluxOperator}: its parent is read from its {@code source} field. */
    private static final byte MONO_FROM_FLUX = 5;
    /** The same, a {@code FluxFromMonoOperator}: its parent is read from its {@code source} field. */
    private static final byte FLUX_FROM_MONO = 6;

    /** {@code Object source(Object operator)}: the {@code source} field of each of the four operator base classes, or null where it cannot be read. */
    private static final MethodHandle MONO_OPERATOR_SOURCE = sourceGetter("MonoOperator");
    private static final MethodHandle FLUX_OPERATOR_SOURCE = sourceGetter("FluxOperator");
    private static final MethodHandle MONO_FROM_FLUX_SOURCE = sourceGetter("MonoFromFluxOperator");
    private static final MethodHandle FLUX_FROM_MONO_SOURCE = sourceGetter("FluxFromMonoOperator");

    /** Per publisher class: {@link #BOUNDARY}, a synchronous {@link #SOURCE} or a synchronous operator. */
    private static final ClassValue<Byte> KIND = new ClassValue<Byte>() {
        @Override
        protected Byte computeValue(Class<?> type) {
            return classify(type);
        }
    };

    private static byte classify(Class<?> type) {
        String name = type.getName();
        if (!name.startsWith(PACKAGE)) {
            return BOUNDARY;
        }
        if (Fuseable.ScalarCallable.class.isAssignableFrom(type)) {
            return SOURCE; // just, empty, error
        }
        int nested = name.indexOf('$', PACKAGE.length());
        String simple = name.substring(PACKAGE.length(), nested < 0 ? name.length() : nested);
        if (SYNCHRONOUS_SOURCES.contains(simple)) {
            return SOURCE;
        }
        if (!SYNCHRONOUS_OPERATORS.contains(simple) || !Scannable.class.isAssignableFrom(type)) {
            return BOUNDARY;
        }
        if (MonoOperator.class.isAssignableFrom(type)) {
            return MONO_OPERATOR_SOURCE != null ? MONO_OPERATOR : OPERATOR;
        }
        if (FluxOperator.class.isAssignableFrom(type)) {
            return FLUX_OPERATOR_SOURCE != null ? FLUX_OPERATOR : OPERATOR;
        }
        if (MONO_FROM_FLUX_SOURCE != null && extendsClass(type, PACKAGE + "MonoFromFluxOperator")) {
            return MONO_FROM_FLUX;
        }
        if (FLUX_FROM_MONO_SOURCE != null && extendsClass(type, PACKAGE + "FluxFromMonoOperator")) {
            return FLUX_FROM_MONO;
        }
        return OPERATOR;
    }

    private static boolean extendsClass(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A getter of the {@code source} field of reactor-core's operator base class {@code simpleName}
     * typed {@code (Object) Object}, or null when the class or field is missing or not accessible
     * (reactor-core on the module path): the filter then reads the parent through {@code Scannable}.
     */
    private static MethodHandle sourceGetter(String simpleName) {
        try {
            Class<?> type = Class.forName(PACKAGE + simpleName, false, MonoOperator.class.getClassLoader());
            Field source = type.getDeclaredField("source");
            source.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(source).asType(MethodType.methodType(Object.class, Object.class));
        } catch (Throwable e) {
            return null;
        }
    }

    private OperatorBoundaries() {
    }

    /** True when the parents of the four operator base classes are read from their fields (tests). */
    static boolean readsSourceFields() {
        return MONO_OPERATOR_SOURCE != null && FLUX_OPERATOR_SOURCE != null && MONO_FROM_FLUX_SOURCE != null
                && FLUX_FROM_MONO_SOURCE != null;
    }

    /**
     * True when {@code operator}, just assembled, is a boundary: its subscribers get wrapped.
     *
     * <p>Design note: it takes the publisher as Reactor hands it to the hook, as an {@code Object}
     * ({@link ScopeLifter.BoundaryHook}: no cast to {@code Publisher}), and reads a
     * synchronous operator's parent from the {@code source} field of its base class
     * ({@code MonoOperator}, {@code FluxOperator}, {@code MonoFromFluxOperator},
     * {@code FluxFromMonoOperator}) through a constant getter: no interface type check (a cast to
     * {@code Scannable} on the hundred operator classes a request assembles is a scan of each
     * class's interfaces whose one-entry cache the event-loop threads keep overwriting) and no
     * megamorphic {@code scanUnsafe} call into a hundred classes' code (docs/RATIONALE.md).
     */
    static boolean isBoundary(Object operator) {
        byte kind = KIND.get(operator.getClass());
        Object parent;
        try {
            if (kind == MONO_OPERATOR) {
                parent = (Object) MONO_OPERATOR_SOURCE.invokeExact((Object) operator);
            } else if (kind == FLUX_OPERATOR) {
                parent = (Object) FLUX_OPERATOR_SOURCE.invokeExact((Object) operator);
            } else if (kind == MONO_FROM_FLUX) {
                parent = (Object) MONO_FROM_FLUX_SOURCE.invokeExact((Object) operator);
            } else if (kind == FLUX_FROM_MONO) {
                parent = (Object) FLUX_FROM_MONO_SOURCE.invokeExact((Object) operator);
            } else if (kind == OPERATOR) {
                parent = ((Scannable) operator).scanUnsafe(Scannable.Attr.PARENT);
            } else {
                return kind == BOUNDARY;
            }
        } catch (Throwable e) {
            return true; // a getter cannot throw on an instance of its class; wrapping is always correct
        }
        // a source not assembled through the hook (another library's publisher, a sink): its
        // signals come from wherever it emits, so the operator on it restores the scope
        return parent != null && KIND.get(parent.getClass()) == BOUNDARY;
    }
}
