package io.rpctrace.it.rocketmq;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * A RocketMQ name server and one broker (the Maven Central 5.x artifacts) in this JVM, started by
 * {@link RocketMqServer} as a child process: both on free ports of 127.0.0.1, the store under
 * {@code args[0]}, topic auto-creation off, every delay level one second (so a consumer's retry
 * comes back in a second, not ten). Prints {@code READY <namesrv> <broker>} when the broker is
 * registered; then reads commands from stdin: {@code topic <name>} creates a topic (one queue)
 * and answers {@code TOPIC <name>}; {@code stop-broker} closes the broker's ports (the name server
 * keeps running and keeps its route) and answers {@code STOPPED}; end of input exits.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        // as BrokerStartup and NamesrvStartup do: without it, requests carry protocol version 0
        // and the name server reads a registration's topics in the pre-3.0.11 layout (none)
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        NamesrvConfig nc = new NamesrvConfig();
        nc.setRocketmqHome(dir);
        nc.setKvConfigPath(dir + File.separator + "namesrv" + File.separator + "kvConfig.json");
        nc.setConfigStorePath(dir + File.separator + "namesrv" + File.separator + "namesrv.properties");
        NettyServerConfig ns = new NettyServerConfig();
        ns.setBindAddress("127.0.0.1");
        ns.setListenPort(0);
        NamesrvController namesrv = new NamesrvController(nc, ns, new NettyClientConfig());
        if (!namesrv.initialize()) {
            throw new IllegalStateException("name server did not initialize");
        }
        namesrv.start();
        String namesrvAddr = "127.0.0.1:" + namesrv.getRemotingServer().localListenPort();

        BrokerConfig bc = new BrokerConfig();
        bc.setRocketmqHome(dir);
        bc.setNamesrvAddr(namesrvAddr);
        bc.setBrokerIP1("127.0.0.1");
        bc.setBrokerIP2("127.0.0.1");
        bc.setBrokerName("broker-a");
        bc.setBrokerClusterName("rpctrace-it");
        bc.setAutoCreateTopicEnable(false);
        bc.setEnablePropertyFilter(true);
        NettyServerConfig bs = new NettyServerConfig();
        bs.setBindAddress("127.0.0.1");
        bs.setListenPort(0);
        MessageStoreConfig ms = new MessageStoreConfig();
        String store = dir + File.separator + "store";
        ms.setStorePathRootDir(store);
        ms.setStorePathCommitLog(store + File.separator + "commitlog");
        ms.setMappedFileSizeCommitLog(16 * 1024 * 1024);
        ms.setMappedFileSizeConsumeQueue(30_000 * 20);
        ms.setHaListenPort(0);
        // the timer wheel (5.x: messages scheduled by time, and pop mode's invisible time, without
        // which the broker refuses pop requests) maps a 604,800-slot wheel (about 39 MB, plus a
        // direct copy of it) and a timer log of 100 MB by default: the log is kept at 4 MB here
        ms.setTimerWheelEnable(true);
        ms.setMappedFileSizeTimerLog(4 * 1024 * 1024);
        ms.setMessageDelayLevel("1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s");
        BrokerController broker = new BrokerController(bc, bs, new NettyClientConfig(), ms);
        if (!broker.initialize()) {
            throw new IllegalStateException("broker did not initialize");
        }
        broker.start();
        // The broker registers only with name servers its client has seen answer (a scan every
        // few seconds), so the registration of start() may go nowhere: register until the name
        // server routes the broker's self-test topic (always created).
        awaitRoute(namesrv, broker, TopicValidator.RMQ_SYS_SELF_TEST_TOPIC);
        System.out.println("READY " + namesrvAddr + " 127.0.0.1:" + broker.getListenPort());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        boolean brokerUp = true;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("topic ")) {
                String name = line.substring("topic ".length()).trim();
                // as the broker's admin processor creates a topic (UPDATE_AND_CREATE_TOPIC)
                TopicConfig topic = new TopicConfig(name, 1, 1, PermName.PERM_READ | PermName.PERM_WRITE);
                broker.getTopicConfigManager().updateTopicConfig(topic);
                broker.registerIncrementBrokerData(topic, broker.getTopicConfigManager().getDataVersion());
                awaitRoute(namesrv, broker, name);
                System.out.println("TOPIC " + name);
            } else if (line.equals("stop-broker") && brokerUp) {
                // as a broker that went down looks to a client: its ports refuse connections. A
                // graceful BrokerController.shutdown() takes 10-20 s (each service thread is joined
                // in turn, the message store sleeps 3 s) and changes nothing a client sees here.
                broker.getRemotingServer().shutdown();
                broker.getFastRemotingServer().shutdown();
                awaitRefused(broker.getListenPort());
                brokerUp = false;
                System.out.println("STOPPED");
            }
            System.out.flush();
        }
        // end of input: the test is done with this server and deletes its store; a graceful stop
        // (as above, 10-20 s) would only delay the test JVM's exit
        System.exit(0);
    }

    private static void awaitRefused(int port) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(50);   // still accepting: the event loop closes the listening channel
            } catch (java.io.IOException refused) {
                return;
            }
        }
        throw new IllegalStateException("the broker's port " + port + " still accepts after 30 s");
    }

    private static void awaitRoute(NamesrvController namesrv, BrokerController broker, String topic)
            throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (namesrv.getRouteInfoManager().pickupTopicRouteData(topic) == null) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the name server has no route for " + topic + " after 60 s");
            }
            Thread.sleep(200);
            broker.registerBrokerAll(true, false, true);
        }
    }
}
