package io.rpctrace.it.safety;

import java.io.IOException;

/** Application code that the test-only module {@code failing-test} instruments with throwing advice. */
public class Victim {
    public int compute(int x) {
        return x * 2;
    }

    public String fail() throws IOException {
        throw new IOException("from the application");
    }
}
