/**
 * Internal (not API): the configuration of docs/configuration.md read from agent arguments,
 * system properties, the environment and a properties file, with one diagnostic line per bad
 * value. Applications set these keys; they do not call this package.
 */
package io.rpctrace.config;
