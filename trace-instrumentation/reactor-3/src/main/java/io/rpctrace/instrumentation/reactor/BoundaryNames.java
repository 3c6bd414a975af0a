package io.rpctrace.instrumentation.reactor;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Which of reactor-core's publisher classes are a chain's <em>boundaries</em>, by name: where a
 * signal can reach the next subscriber on another thread, or in another subscriber's scope, than
 * the signal, request or subscription that caused it. The boundary's subscriber is wrapped when it
 * subscribes ({@link BoundaryInstrumentation}); everything between two boundaries runs on the
 * thread, and so in the scope, that the boundary below it restored.
 *
 * <p>A boundary is a class of {@code reactor.core.publisher} (a nested class goes by its outer
 * class) that is not one of the synchronous sources and operators below, nor one of the abstract
 * bases every operator extends: scheduler hops ({@code publishOn}, {@code subscribeOn},
 * {@code parallel().runOn()}), timers ({@code delay*}, {@code timeout}, {@code interval}), sources
 * fed from other threads ({@code create}, {@code fromFuture}, {@code Mono.from}/{@code Flux.from} of
 * another library's publisher, sinks), multicast operators whose one upstream signal reaches many
 * subscribers ({@code cache}, {@code share}, {@code publish}, {@code replay}), multi-valued sources
 * whose elements a downstream request pulls ({@code range}, {@code fromIterable},
 * {@code fromArray}), any class this list does not know. Another library's {@code Flux} or
 * {@code Mono} (Reactor Netty's receive publisher) is a boundary too, matched by its supertypes.
 *
 * <p>Plain names only: the agent decides while the class is being loaded, before any reactor-core
 * class can be linked to it.
 */
final class BoundaryNames {
    static final String PACKAGE = "reactor.core.publisher.";

    /**
     * reactor-core's publishers without an upstream (or with several) whose signals stay on the
     * thread of what caused them; and reactor-core's lift publishers (another library's operator
     * hook), whose lifted subscriber signals on the thread of the operator they stand for.
     */
    static final Set<String> SYNCHRONOUS_SOURCES = new HashSet<>(Arrays.asList(
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
            // another hook's lift publishers: the operator they stand for is advised itself
            "MonoLift", "MonoLiftFuseable", "FluxLift", "FluxLiftFuseable", "ParallelLift",
            "ParallelLiftFuseable", "ConnectableLift", "ConnectableLiftFuseable", "GroupedLift",
            "GroupedLiftFuseable"));

    /** reactor-core's operators of one upstream and one subscriber, with no thread of their own. */
    static final Set<String> SYNCHRONOUS_OPERATORS = new HashSet<>(Arrays.asList(
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

    /** The abstract bases: their {@code subscribe} is every operator's (the operator decides). */
    static final Set<String> BASES = new HashSet<>(Arrays.asList(
            "Flux", "Mono", "ParallelFlux", "ConnectableFlux", "GroupedFlux", "FluxOperator", "MonoOperator",
            "InternalFluxOperator", "InternalMonoOperator", "InternalConnectableFluxOperator"));

    private BoundaryNames() {
    }

    /** True for a class of {@code reactor.core.publisher} named {@code className} that is a boundary. */
    static boolean isBoundary(String className) {
        if (!className.startsWith(PACKAGE)) {
            return false;
        }
        int nested = className.indexOf('$', PACKAGE.length());
        String simple = className.substring(PACKAGE.length(), nested < 0 ? className.length() : nested);
        return !simple.isEmpty() && !SYNCHRONOUS_SOURCES.contains(simple) && !SYNCHRONOUS_OPERATORS.contains(simple)
                && !BASES.contains(simple);
    }
}
