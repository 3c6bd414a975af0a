package io.rpctrace.shipping.engine;

import java.io.IOException;

/** The engine lives as long as the test JVM holds the other end of its standard input. */
final class EngineLifetime {
    private EngineLifetime() {
    }

    static void untilStdinEnds() {
        try {
            while (System.in.read() >= 0) {
                // ignore anything written: only the end of the stream matters
            }
        } catch (IOException ignored) {
            // a broken pipe ends the engine too
        }
    }
}
