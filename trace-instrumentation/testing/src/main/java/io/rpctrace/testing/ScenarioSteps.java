package io.rpctrace.testing;

import java.util.concurrent.Callable;

/**
 * What an application saw, printed by a scenario's {@code main} in a child JVM, so that a test
 * compares runs with and without the agent line by line ({@code ChildJvm.Result.lines("SAW ")}).
 *
 * <pre>{@code
 * ScenarioSteps.saw("get", () -> client.get("k"));   // SAW get returned v1
 * }</pre>
 */
public final class ScenarioSteps {
    private ScenarioSteps() {
    }

    /** Runs {@code call} and prints {@code SAW <step> returned <value>} or {@code SAW <step> threw <exception class>}. */
    public static void saw(String step, Callable<?> call) {
        String outcome;
        try {
            outcome = "returned " + call.call();
        } catch (Exception e) {
            outcome = "threw " + e.getClass().getName();
        }
        System.out.println("SAW " + step + " " + outcome);
    }
}
