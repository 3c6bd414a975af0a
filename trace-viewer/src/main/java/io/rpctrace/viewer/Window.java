package io.rpctrace.viewer;

import io.rpctrace.config.Config;

/** The {@code --since} window of {@code errors} and {@code slow}: records that started after a cut-off. */
final class Window {
    private final long fromMs;
    private final String text;

    private Window(long fromMs, String text) {
        this.fromMs = fromMs;
        this.text = text;
    }

    /** From {@code --since 1h} (30s, 15m, 2d); everything when absent. */
    static Window since(String value, long nowMs) {
        if (value == null) {
            return new Window(Long.MIN_VALUE, null);
        }
        long ms = Config.parseDurationMs(value, 1000);
        if (ms <= 0) {
            throw new IllegalArgumentException("--since " + value + " is not a duration (e.g. 30s, 15m, 1h, 2d)");
        }
        return new Window(nowMs - ms, value);
    }

    /** Start of the window in epoch ms; {@code Long.MIN_VALUE} for everything. */
    long fromMs() {
        return fromMs;
    }

    boolean contains(TraceRecord r) {
        return fromMs == Long.MIN_VALUE || r.startMs() >= fromMs;
    }

    /** {@code " in the last 1h"} or empty. */
    String describe() {
        return text == null ? "" : " in the last " + text;
    }
}
