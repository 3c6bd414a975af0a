/**
 * Internal (not API): the record of docs/record.md (fields, record names, levels) and its
 * encoder to one JSON line, allocation-free on the hot path.
 */
package io.rpctrace.record;
