package io.rpctrace.instrumentation.jersey;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.internal.process.RequestProcessingContext;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * {@code ResourceMethodInvoker.apply(RequestProcessingContext)}: Jersey has matched the request to
 * a resource method and is about to invoke it; the request's {@code ExtendedUriInfo} holds the
 * templates it matched on the way (resource method first, root resource last). On a servlet
 * container the request's properties are the servlet request's attributes, where the
 * {@code servlet} module keeps the request's span ({@link HttpServerCalls#SPAN_ATTRIBUTE}): the
 * route goes to that span. Elsewhere (Grizzly, the JDK's server) there is no such span and nothing
 * is done.
 */
final class ResourceMethodInvokerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.glassfish.jersey.server.model.ResourceMethodInvoker");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("apply").and(takesArguments(1)).and(takesArgument(0,
                named("org.glassfish.jersey.server.internal.process.RequestProcessingContext"))),
                ResourceMethodInvokerInstrumentation.class.getName() + "$ApplyAdvice");
    }

    static final class ApplyAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) RequestProcessingContext context) {
            ContainerRequest request = context.request();
            Object span = request.getProperty(HttpServerCalls.SPAN_ATTRIBUTE);
            if (span != null) {
                List<UriTemplate> matched = request.getUriInfo().getMatchedTemplates();
                String[] templates = new String[matched.size()];
                for (int i = 0; i < templates.length; i++) {
                    templates[i] = matched.get(i).getTemplate();
                }
                JerseyRoutes.matched(span, request.getMethod(), request.getBaseUri().getRawPath(), templates);
            }
        }
    }
}
