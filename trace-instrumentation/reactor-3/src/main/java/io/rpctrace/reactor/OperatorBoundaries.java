package io.rpctrace.reactor;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.reactivestreams.Publisher;
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

    private static final Byte BOUNDARY = 0;
    private static final Byte SOURCE = 1;
    /** A synchronous operator on one upstream, a {@code MonoOperator}: its parent is read through that class. */
    private static final Byte MONO_OPERATOR = 2;
    /** The same, a {@code FluxOperator}. */
    private static final Byte FLUX_OPERATOR = 3;
    /** The same, any other {@code Scannable} ({@code MonoFromFluxOperator}, {@code FluxFromMonoOperator}). */
    private static final Byte OPERATOR = 4;

    /** Per publisher class: {@link #BOUNDARY}, a synchronous {@link #SOURCE} or a synchronous operator. */
    private static final ClassValue<Byte> KIND = new ClassValue<Byte>() {
        @Override
        protected Byte computeValue(Class<?> type) {
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
            return MonoOperator.class.isAssignableFrom(type) ? MONO_OPERATOR
                    : FluxOperator.class.isAssignableFrom(type) ? FLUX_OPERATOR : OPERATOR;
        }
    };

    private OperatorBoundaries() {
    }

    /**
     * True when {@code operator}, just assembled, is a boundary: its subscribers get wrapped.
     *
     * <p>Design note: it takes the publisher as Reactor hands it to the hook, and reads a
     * synchronous operator's parent through its class ({@code MonoOperator},
     * {@code FluxOperator}) where it can: an interface type check ({@code Scannable.from}, a cast
     * to {@code Scannable}) on the hundred operator classes a request assembles is a scan of each
     * class's interfaces whose one-entry cache the event-loop threads keep overwriting
     * (docs/RATIONALE.md).
     */
    static boolean isBoundary(Publisher<?> operator) {
        Byte kind = KIND.get(operator.getClass());
        Object parent;
        if (kind == MONO_OPERATOR) {
            parent = ((MonoOperator<?, ?>) operator).scanUnsafe(Scannable.Attr.PARENT);
        } else if (kind == FLUX_OPERATOR) {
            parent = ((FluxOperator<?, ?>) operator).scanUnsafe(Scannable.Attr.PARENT);
        } else if (kind == OPERATOR) {
            parent = ((Scannable) operator).scanUnsafe(Scannable.Attr.PARENT);
        } else {
            return kind == BOUNDARY;
        }
        // a source not assembled through the hook (another library's publisher, a sink): its
        // signals come from wherever it emits, so the operator on it restores the scope
        return parent != null && KIND.get(parent.getClass()) == BOUNDARY;
    }
}
