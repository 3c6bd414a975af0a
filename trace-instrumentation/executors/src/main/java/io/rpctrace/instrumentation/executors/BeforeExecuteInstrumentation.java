package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ThreadPoolExecutor.beforeExecute(Thread, Runnable)}, and every override of it in a
 * subclass (an override that does not call {@code super} would otherwise bypass us): the
 * worker makes the task's scope current, or none. The scope then stays current through
 * {@code afterExecute} and is cleared when the worker asks for its next task.
 */
final class BeforeExecuteInstrumentation implements TypeInstrumentation {
    private static final String BEFORE_EXECUTE = "beforeExecute";
    private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // Cheap tests first: a JDK class other than ThreadPoolExecutor itself is never one of
        // these; the hierarchy walk is shared with the other matchers that see every class (JDBC,
        // servlet), and only a ThreadPoolExecutor's subclass has its methods listed.
        return named(TPE).or(not(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")))
                .and(SuperTypes.named(TPE))
                .and(declaresMethod(named(BEFORE_EXECUTE).and(takesArguments(Thread.class, Runnable.class)))));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named(BEFORE_EXECUTE).and(takesArguments(Thread.class, Runnable.class)).and(not(isAbstract())),
                BeforeExecuteInstrumentation.class.getName() + "$BeforeExecuteAdvice");
    }

    static final class BeforeExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Runnable task) {
            TaskScopes.replace(task);
        }
    }
}
