package io.rpctrace.metrics;

import java.util.Objects;

/** The key of a {@code metric.timer} series (docs/metrics.md): action, module, host, instance name. */
public final class SeriesKey {
    final String action;
    final String module;
    final String host;
    final String instanceName;
    private final int hash;

    /** Any part but {@code action} may be null. */
    public SeriesKey(String action, String module, String host, String instanceName) {
        this.action = action;
        this.module = module;
        this.host = host;
        this.instanceName = instanceName;
        this.hash = Objects.hash(action, module, host, instanceName);
    }

    /** True when this key is {@code (action, module, host, instanceName)}; allocation-free. */
    boolean matches(String action, String module, String host, String instanceName) {
        return Objects.equals(this.action, action) && Objects.equals(this.module, module)
                && Objects.equals(this.host, host) && Objects.equals(this.instanceName, instanceName);
    }

    /** {@code x_action}: the record type or user timer name. */
    public String action() {
        return action;
    }

    /** {@code x_module}, or null. */
    public String module() {
        return module;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeriesKey)) {
            return false;
        }
        SeriesKey k = (SeriesKey) o;
        return hash == k.hash && Objects.equals(action, k.action) && Objects.equals(module, k.module)
                && Objects.equals(host, k.host) && Objects.equals(instanceName, k.instanceName);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return action + '|' + module + '|' + host + '|' + instanceName;
    }
}
