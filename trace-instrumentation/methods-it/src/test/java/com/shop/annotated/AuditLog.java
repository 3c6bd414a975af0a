package com.shop.annotated;

import io.rpctrace.Traced;

/** On the class: its public methods, getters and setters aside. */
@Traced
public class AuditLog {
    private int size;

    public void write(String line) {
        size += line.length();
    }

    public int getSize() {
        return size;
    }
}
