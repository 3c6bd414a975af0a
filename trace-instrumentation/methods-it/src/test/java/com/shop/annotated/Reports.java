package com.shop.annotated;

import io.rpctrace.Traced;

/** The annotation alone, no configuration. */
public class Reports {
    @Traced
    public String daily() {
        return "ok";
    }

    @Traced(module = "billing", name = "invoice")
    public int invoice(int n) {
        return n * 10;
    }

    @Traced(records = false)
    public int hot() {
        return 1;
    }

    public String untraced() {
        return "no";
    }
}
