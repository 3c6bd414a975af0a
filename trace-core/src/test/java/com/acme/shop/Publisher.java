package com.acme.shop;

import io.rpctrace.internal.CallerModule;

/** An application class outside rpctrace's packages, for CallerModuleTest: its methods make "calls". */
public final class Publisher {
    public static final CallerModule.Namespace TOPICS = CallerModule.namespace();
    public static final CallerModule.Namespace EXCHANGES = CallerModule.namespace();

    private Publisher() {
    }

    public static String sendOrder(String topic) {
        return CallerModule.of(TOPICS, topic);
    }

    public static String publishOrder(String exchange) {
        return CallerModule.of(EXCHANGES, exchange);
    }

    public static String queryOrders(String sql) {
        return CallerModule.of(sql);
    }
}
