package com.shop.api;

/** Not a controller: *Controller does not name it. */
public final class ApiHelper {
    private ApiHelper() {
    }

    public static String format(int n) {
        return "#" + n;
    }
}
