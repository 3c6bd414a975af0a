package io.rpctrace.instrumentation.spymemcached;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.spy.memcached.ops.OperationStatus;

/**
 * The operation callbacks of spymemcached's own clients ({@code MemcachedClient}'s anonymous
 * {@code GetOperation.Callback}s and the like): every way an operation ends — answered,
 * failed, timed out, cancelled because its connection went away — calls
 * {@code receivedStatus} then {@code complete} on its callback, on the I/O thread or on the
 * caller's thread that timed it out. The span ends when {@code complete} begins, before the
 * application's latch is released. Values arrive through {@code gotData}.
 */
final class CallbackInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameStartsWith("net.spy.memcached.").and(not(isInterface()))
                .and(hasSuperType(named("net.spy.memcached.ops.OperationCallback")));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = CallbackInstrumentation.class.getName();
        target.applyAdvice(named("receivedStatus").and(takesArguments(1)), name + "$StatusAdvice")
                // GetOperation.Callback: gotData(key, flags, data)
                .applyAdvice(named("gotData").and(takesArguments(3)).and(takesArgument(2, byte[].class)),
                        name + "$DataAdvice")
                // gets, getl, gat: gotData(key, flags, cas, data)
                .applyAdvice(named("gotData").and(takesArguments(4)).and(takesArgument(3, byte[].class)),
                        name + "$CasDataAdvice")
                .applyAdvice(named("complete").and(takesArguments(0)), name + "$CompleteAdvice");
    }

    static final class StatusAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback, @Advice.Argument(0) Object status) {
            if (MemcacheCalls.inFlight(callback)) {
                OperationStatus s = (OperationStatus) status;
                SpyOperations.status(callback, s.isSuccess(), s.getStatusCode(), s.getMessage());
            }
        }
    }

    static final class DataAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback, @Advice.Argument(2) byte[] data) {
            MemcacheCalls.value(callback, data);
        }
    }

    static final class CasDataAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback, @Advice.Argument(3) byte[] data) {
            MemcacheCalls.value(callback, data);
        }
    }

    static final class CompleteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback) {
            MemcacheCalls.complete(callback);
        }
    }
}
