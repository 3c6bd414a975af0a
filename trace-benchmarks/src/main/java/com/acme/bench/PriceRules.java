package com.acme.bench;

/**
 * An application class for {@code MethodsAgentBenchmark}: outside rpctrace's packages, which the
 * {@code methods} key cannot name. No rpctrace code.
 */
public class PriceRules {
    /** A method that does nothing worth timing: what the agent adds to it is the whole cost. */
    public int noop(int x) {
        return x;
    }
}
