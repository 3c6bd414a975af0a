package io.rpctrace.instrumentation.jersey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JerseyRoutesTest {
    @Test
    void theBasePathAndTheTemplatesFromTheRootResourceDown() {
        assertEquals("/owners/{id}", JerseyRoutes.route("/", new String[] {"/{id}", "/owners"}));
        assertEquals("/api/owners/{id}/pets", JerseyRoutes.route("/api/", new String[] {"/pets", "/{id}", "/owners"}));
        assertEquals("/api/v1/items", JerseyRoutes.route("/api/v1", new String[] {"items/"}));
    }

    @Test
    void emptyTemplatesAddNothingAndTheRootIsASlash() {
        assertEquals("/owners", JerseyRoutes.route("/", new String[] {"", "/owners"}));
        assertEquals("/", JerseyRoutes.route("/", new String[] {"/"}));
        assertEquals("/ctx/{id: [0-9]+}", JerseyRoutes.route("/ctx/", new String[] {"{id: [0-9]+}"}));
    }

    @Test
    void noTemplateNoRoute() {
        assertNull(JerseyRoutes.route("/", new String[0]));
        assertNull(JerseyRoutes.route("/", null));
    }
}
