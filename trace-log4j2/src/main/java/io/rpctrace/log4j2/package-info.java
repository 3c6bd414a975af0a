/**
 * Log4j2 integration without the agent (docs/logging.md). Add {@code trace-log4j2} to the class path:
 * correlation ({@code x_trace_id}, {@code x_rpc_id} in every event's context data, so
 * {@code %X{x_trace_id}} works) is on by itself through {@link TraceContextDataProvider}
 * (a {@code ContextDataProvider} found by {@code ServiceLoader}, Log4j2 2.13.2+). Name the
 * other two pieces in {@code log4j2.xml}:
 *
 * <pre>{@code
 * <Configuration>
 *   <RpctraceDebugFilter/>                     <!-- per-request debug: a global filter -->
 *   <Appenders>
 *     <Console name="CONSOLE"><PatternLayout pattern="%d %p %c [%X{x_trace_id} %X{x_rpc_id}] %m%n"/></Console>
 *     <Rpctrace name="RPCTRACE"/>              <!-- log.* records -->
 *   </Appenders>
 *   <Loggers>
 *     <Root level="INFO"><AppenderRef ref="CONSOLE"/><AppenderRef ref="RPCTRACE"/></Root>
 *   </Loggers>
 * </Configuration>
 * }</pre>
 *
 * <p>Or install them from code with {@link io.rpctrace.log4j2.TraceLog4j2#install}, which also
 * re-installs them whenever the context is reconfigured; the agent's Log4j2 instrumentation
 * uses the same entry point.
 */
package io.rpctrace.log4j2;
