package io.rpctrace.bench.netty41;

import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RocketMqAgentBenchmark#send} with the agent attached halfway through one fork
 * ({@link AgentAttach}; why: {@link DubboAttachBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 100, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Drocketmq.client.logRoot=/tmp/rpctrace-bench-rocketmq-logs",
    "-Djdk.attach.allowAttachSelf=true"})
public class RocketMqAttachBenchmark {
    /** One synchronous send, acknowledged by the broker, in a served request once the agent is attached. */
    @Benchmark
    public SendResult send(RocketMqAgentBenchmark.Producer p, RocketMqAgentBenchmark.Broker b, AgentAttach attach,
                           AttachedRequest r) throws Exception {
        return p.producer.send(new Message(b.sent, "bench", RocketMqAgentBenchmark.BODY));
    }
}
