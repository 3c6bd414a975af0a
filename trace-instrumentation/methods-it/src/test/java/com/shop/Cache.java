package com.shop;

import java.util.concurrent.ConcurrentHashMap;

/** A hot method: traced for its metrics only. */
public class Cache {
    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();

    public String get(String key) {
        return map.getOrDefault(key, "-");
    }

    public void put(String key, String value) {
        map.put(key, value);
    }
}
