package io.rpctrace.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.context.TraceId;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.RouteTimers;
import io.rpctrace.testing.servlet.EmbeddedTomcat;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * JAX-RS resources on Jersey's {@code ServletContainer}, mapped at {@code /api/*} of an embedded
 * Tomcat (the shape of a Dropwizard service): Jersey 2.26 on Tomcat 9 here, Jersey 4 on Tomcat 11
 * in servlet-jakarta-it (this file, turned into jakarta there). the served request's {@code request.info}
 * has the route template, base path included, as {@code x_module}, so the module timers never
 * key on ids; a URL Jersey matches to no resource keeps no {@code x_module}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JerseyTest {
    private EmbeddedTomcat tomcat;
    private int port;

    /** The application's resources: a root resource with nested templates and a regular expression. */
    @Path("/owners")
    public static class Owners {
        @GET
        @Path("/{id}")
        @Produces("text/plain")
        public String owner(@PathParam("id") String id) {
            return "owner " + id;
        }

        @GET
        @Path("/{id}/pets/{pet: [0-9]+}")
        @Produces("text/plain")
        public String pet(@PathParam("id") String id, @PathParam("pet") int pet) {
            return "pet " + pet + " of " + id;
        }
    }

    @BeforeAll
    void start() throws Exception {
        tomcat = EmbeddedTomcat.create();
        ResourceConfig app = new ResourceConfig(Owners.class).property("jersey.config.server.wadl.disableWadl", true);
        Wrapper w = Tomcat.addServlet(tomcat.context(), "jersey", new ServletContainer(app));
        w.setLoadOnStartup(1);
        tomcat.context().addServletMappingDecoded("/api/*", "jersey");
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
        RawHttp.Response r = RawHttp.get(port, "/api/owners/42?token=t0k3n", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.7");
        assertEquals(200, r.status(), r.body());
        assertEquals("owner 42", r.body());
        AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().hasRpcId("0.7.1").has("x_code", "200")
                .has("x_module", "GET /api/owners/{id}")
                .has("x_action", "http://127.0.0.1:" + port + "/api/owners/42?token=***");
    }

    @Test
    void nestedTemplatesAndRegularExpressionsAreKeptAsWritten() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/api/owners/7/pets/3", "X-Trace-Id: " + trace);
        assertEquals("pet 3 of 7", r.body());
        AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().has("x_module", "GET /api/owners/{id}/pets/{pet: [0-9]+}");
    }

    @Test
    void aUrlNoResourceMatchesHasNoRoute() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/api/owners/7/pets/cat", "X-Trace-Id: " + trace);
        assertEquals(404, r.status(), r.body());
        TraceRecord rec = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().has("x_code", "404").record();
        assertNull(rec.string("x_module"), rec.line());
    }

    @Test
    void metricTimersKeyOnTheRouteNeverOnTheUrl() {
        RouteTimers.keyOnTheRoute(port, "/api/owners/", "GET /api/owners/{id}"); // metrics.interval.s=1 in this module's agent arguments
    }
}
