package com.shop;

/** A method that does not return while it works: its steps are traced one by one. */
public class Worker {
    private long sum;

    public void run(int steps) {
        long before = 0;
        for (int i = 0; i < steps; i++) {
            step(i);
            if (i == steps / 10) {
                before = usedAfterGc();
            }
        }
        // still inside run(): what the steps left behind is what a never-ending loop would hold
        System.out.println("RESULT heap " + before + " " + usedAfterGc() + " " + sum);
    }

    public void step(int i) {
        sum += i;
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
