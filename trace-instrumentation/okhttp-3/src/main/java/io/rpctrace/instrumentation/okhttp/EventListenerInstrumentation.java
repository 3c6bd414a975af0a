package io.rpctrace.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The connection-phase events of {@code okhttp3.EventListener} and of every subclass that
 * overrides them (the application's listener, or {@code EventListener.NONE}): the client calls
 * exactly one of them per event, so the times are seen whatever listener the application set,
 * without replacing it. A subclass that calls {@code super} reports twice; the first start and
 * the first end win.
 */
final class EventListenerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.named("okhttp3.EventListener");
    }

    @Override
    public void transform(AdviceTarget target) {
        String prefix = EventListenerInstrumentation.class.getName();
        event(target, "dnsStart", prefix + "$DnsStart");
        event(target, "dnsEnd", prefix + "$DnsEnd");
        event(target, "connectStart", prefix + "$ConnectStart");
        event(target, "connectEnd", prefix + "$ConnectEnd");
        event(target, "connectFailed", prefix + "$ConnectEnd");
        event(target, "secureConnectStart", prefix + "$TlsStart");
        event(target, "secureConnectEnd", prefix + "$TlsEnd");
    }

    private static void event(AdviceTarget target, String method, String advice) {
        target.applyAdvice(named(method).and(not(isAbstract())).and(takesArgument(0, named("okhttp3.Call"))), advice);
    }

    static final class DnsStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.DNS_START);
        }
    }

    static final class DnsEnd {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.DNS_END);
        }
    }

    static final class ConnectStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.CONNECT_START);
        }
    }

    static final class ConnectEnd {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.CONNECT_END);
        }
    }

    static final class TlsStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.TLS_START);
        }
    }

    static final class TlsEnd {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object call) {
            HttpClientCalls.phase(call, HttpClientCalls.TLS_END);
        }
    }
}
