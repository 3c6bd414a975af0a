/**
 * Internal (not API): the writer of docs/writer.md, a lock-free ring filled by application
 * threads and one background thread that batches the encoded lines into rolling files.
 */
package io.rpctrace.writer;
