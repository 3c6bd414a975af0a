package io.rpctrace.it.micrometer;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.trace.SpanKind;
import io.rpctrace.testing.RawHttp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring Boot application that traces itself, as users set it up: Micrometer Tracing over the
 * OpenTelemetry SDK (spring-boot-starter-opentelemetry, every request sampled), its spans kept
 * in memory instead of exported. {@code /front} calls {@code /back} of the same application with
 * Spring's {@code RestClient} built from Spring Boot's builder (so its observation writes the
 * application's {@code traceparent}), over the JDK {@code HttpClient} or
 * {@code HttpURLConnection}, or with its {@code WebClient} on Reactor Netty; {@code /back} answers with the {@code traceparent} and
 * {@code X-Rpc-Id} it received. Main prints, per client,
 * {@code RESULT <client> <traceparent received> <X-Rpc-Id received> <the client span as a traceparent> <X-Trace-Id>}.
 */
@SpringBootApplication
@RestController
public class TracedApplication {
    private static volatile int port;
    private final RestClient jdk;
    private final RestClient urlConnection;
    private final WebClient webClient;

    public TracedApplication(RestClient.Builder builder, WebClient.Builder webClientBuilder) {
        jdk = builder.clone().requestFactory(ClientHttpRequestFactoryBuilder.jdk().build()).build();
        urlConnection = builder.clone().requestFactory(ClientHttpRequestFactoryBuilder.simple().build()).build();
        webClient = webClientBuilder.build();   // on Reactor Netty
    }

    @Bean
    static InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }

    @GetMapping("/front")
    public String front(@RequestParam("client") String client) {
        String back = "http://127.0.0.1:" + port + "/back";
        if ("webclient".equals(client)) {
            return webClient.get().uri(back).retrieve().bodyToMono(String.class).block();
        }
        RestClient c = "jdk".equals(client) ? jdk : urlConnection;
        return c.get().uri(back).retrieve().body(String.class);
    }

    @GetMapping("/back")
    public String back(@RequestHeader(value = "traceparent", required = false) String traceparent,
                       @RequestHeader(value = "X-Rpc-Id", required = false) String rpcId) {
        return traceparent + " " + rpcId;
    }

    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(TracedApplication.class);
        app.setDefaultProperties(Map.of(
                "server.port", "0",
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "management.tracing.sampling.probability", "1.0",
                // nothing listens for OTLP here: the spans stay in memory
                "management.opentelemetry.tracing.export.otlp.enabled", "false",
                "management.otlp.tracing.export.enabled", "false",
                "management.opentelemetry.logging.export.otlp.enabled", "false",
                "management.otlp.metrics.export.enabled", "false"));
        ConfigurableApplicationContext ctx = app.run(args);
        port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        InMemorySpanExporter spans = ctx.getBean(InMemorySpanExporter.class);
        SdkTracerProvider tracer = ctx.getBean(SdkTracerProvider.class);
        for (String client : List.of("jdk", "url-connection", "webclient")) {
            spans.reset();
            RawHttp.Response r = RawHttp.get(port, "/front?client=" + client);
            tracer.forceFlush().join(10, TimeUnit.SECONDS);
            String clientSpan = "none";
            for (SpanData s : spans.getFinishedSpanItems()) {
                if (s.getKind() == SpanKind.CLIENT) {
                    clientSpan = "00-" + s.getTraceId() + "-" + s.getSpanId() + "-" + s.getSpanContext().getTraceFlags().asHex();
                }
            }
            System.out.println("RESULT " + client + " " + r.body() + " " + clientSpan + " " + r.header("X-Trace-Id"));
        }
        System.exit(SpringApplication.exit(ctx));
    }
}
