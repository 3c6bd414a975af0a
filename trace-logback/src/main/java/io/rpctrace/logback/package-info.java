/**
 * Logback integration without the agent (docs/logging.md). Add {@code trace-logback} to the class
 * path and name the two pieces in {@code logback.xml}:
 *
 * <pre>{@code
 * <configuration>
 *   <turboFilter class="io.rpctrace.logback.TraceTurboFilter"/>   <!-- debug mode + MDC correlation -->
 *   <appender name="RPCTRACE" class="io.rpctrace.logback.TraceAppender"/>  <!-- log.* records -->
 *   <root level="INFO">
 *     <appender-ref ref="CONSOLE"/>
 *     <appender-ref ref="RPCTRACE"/>
 *   </root>
 * </configuration>
 * }</pre>
 *
 * <p>Or install both from code (and keep them across {@code LoggerContext.reset()}, as Spring
 * Boot does during start-up) with {@link io.rpctrace.logback.TraceLogback#install}. The agent's
 * Logback instrumentation installs the same classes.
 */
package io.rpctrace.logback;
