package io.rpctrace.metrics;

import java.util.Objects;

/** The key of a {@code metric.timer} series (SPEC §7): action, module, host, instance name. */
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
