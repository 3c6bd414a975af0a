package io.rpctrace.instrumentation.apachehttpclient5;

import io.rpctrace.instrumentation.http.AsyncClientCalls;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;

/** The response consumer of an async call: the response head ends the call's record. */
final class AsyncConsumerAdvice {
    private AsyncConsumerAdvice() {
    }

    /** {@code consumeResponse(response, entityDetails, context, resultCallback)}. */
    static final class Response {
        private Response() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object consumer, @Advice.Argument(0) HttpResponse response,
                          @Advice.Argument(1) EntityDetails entity) {
            AsyncClientCalls.response(consumer, response.getCode(), entity == null ? 0 : entity.getContentLength());
        }
    }

    /** {@code failed(Exception)}. */
    static final class Failed {
        private Failed() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object consumer, @Advice.Argument(0) Exception cause) {
            AsyncClientCalls.failed(consumer, cause);
        }
    }
}
