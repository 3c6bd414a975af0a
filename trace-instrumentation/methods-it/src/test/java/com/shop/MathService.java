package com.shop;

/** Recursion. */
public class MathService {
    public long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public long depth(int n) {
        return n == 0 ? 0 : 1 + depth(n - 1);
    }
}
