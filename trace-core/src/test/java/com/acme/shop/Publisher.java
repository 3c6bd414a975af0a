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

    /** SQL's shape for the tests: the text up to its first digit. */
    public static final CallerModule.Shape UP_TO_A_DIGIT = new CallerModule.Shape() {
        @Override
        protected String of(String sql) {
            int i = 0;
            while (i < sql.length() && !Character.isDigit(sql.charAt(i))) {
                i++;
            }
            return sql.substring(0, i);
        }
    };

    public static String findOrder(String sqlWithValues) {
        return CallerModule.of(sqlWithValues, UP_TO_A_DIGIT);
    }

    public static String findCustomer(String sqlWithValues) {
        return CallerModule.of(sqlWithValues, UP_TO_A_DIGIT);
    }

    public static String cacheOrder(String key) {
        return CallerModule.of(io.rpctrace.internal.KeyShape.of("SETEX", key));
    }

    public static String cacheCustomer(String key) {
        return CallerModule.of(io.rpctrace.internal.KeyShape.of("SETEX", key));
    }
}
