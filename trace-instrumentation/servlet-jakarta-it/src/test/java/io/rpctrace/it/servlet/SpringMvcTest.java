package io.rpctrace.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.TraceId;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.RouteTimers;
import io.rpctrace.testing.servlet.EmbeddedTomcat;
import java.util.concurrent.Callable;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * Spring MVC ({@code DispatcherServlet}, a {@code @RestController}) on embedded Tomcat 11: the
 * served request is one {@code request.info} whose {@code x_action} is the URL and whose
 * {@code x_module} is the templated route, so the module timers never key on ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringMvcTest {
    private EmbeddedTomcat tomcat;
    private int port;

    /** The application's controller. */
    @RestController
    public static class Users {
        @GetMapping("/users/{id}")
        public String user(@PathVariable("id") String id) {
            return "user " + id;
        }

        @GetMapping("/users/{id}/orders")
        public Callable<String> orders(@PathVariable("id") String id) {
            return () -> {
                Thread.sleep(200);
                return "orders of " + id;
            };
        }
    }

    @Configuration
    @EnableWebMvc
    @Import(Users.class)
    static class App {
    }

    @BeforeAll
    void start() throws Exception {
        tomcat = EmbeddedTomcat.create();
        Context ctx = tomcat.context();
        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(App.class);
        Wrapper w = Tomcat.addServlet(ctx, "dispatcher", new DispatcherServlet(spring));
        w.setLoadOnStartup(1);
        w.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/", "dispatcher");
        port = tomcat.start();
    }

    @AfterAll
    void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void theRouteIsTheModuleAndTheUrlTheAction() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/users/42?token=t0k3n", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.7");
        assertEquals(200, r.status(), r.body());
        assertEquals(trace, r.header("X-Trace-Id"));
        AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().hasRpcId("0.7.1").has("x_code", "200")
                .has("x_module", "GET /users/{id}")
                .has("x_action", "http://127.0.0.1:" + port + "/users/42?token=***");
    }

    @Test
    void anAsyncHandlerKeepsItsRouteAndFullDuration() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/users/7/orders", "X-Trace-Id: " + trace);
        assertEquals(200, r.status(), r.body());
        TraceRecord rec = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().hasRpcId("0.1").has("x_module", "GET /users/{id}/orders").record();
        double seconds = Double.parseDouble(rec.string("x_duration"));
        assertTrue(seconds >= 0.2, "async handler lasted " + seconds + " s: " + rec);
    }

    @Test
    void metricTimersKeyOnTheRouteNeverOnTheUrl() {
        RouteTimers.keyOnTheRoute(port, "/users/", "GET /users/{id}"); // metrics.interval.s=1 in this module's agent arguments
    }
}
