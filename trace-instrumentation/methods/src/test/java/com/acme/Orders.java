package com.acme;

import io.rpctrace.Traced;

/** An application class for the methods module's unit tests (rpctrace's own packages cannot be named). */
public class Orders {
    public long place(String item, int qty) {
        return qty;
    }

    @Traced(module = "pricing", name = "quote")
    public int price(String item) {
        return 1;
    }

    @Traced(records = false)
    public int hot() {
        return 2;
    }

    public String get(String key) {
        return key;
    }
}
