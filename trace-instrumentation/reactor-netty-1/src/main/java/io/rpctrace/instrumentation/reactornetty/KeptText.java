package io.rpctrace.instrumentation.reactornetty;

/**
 * A text made from a key once and kept in a small table slot until {@link #until} (System.nanoTime
 * units): the text of a connection's address, the {@code x_host} of a client's scheme and
 * authority. Immutable, so a slot read without a lock holds either a whole entry or none.
 */
final class KeptText {
    final Object key;
    final String text;
    final long until;

    KeptText(Object key, String text, long until) {
        this.key = key;
        this.text = text;
        this.until = until;
    }
}
