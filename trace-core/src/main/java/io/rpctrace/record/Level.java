package io.rpctrace.record;

import java.util.Locale;

/**
 * Levels of levelled records (docs/record.md#record-types, docs/logging.md#capture), lowest first,
 * with their record names.
 */
public enum Level {
    TRACE(RecordNames.LOG_TRACE),
    DEBUG(RecordNames.LOG_DEBUG),
    INFO(RecordNames.LOG_INFO),
    NOTICE(RecordNames.LOG_NOTICE),
    WARN(RecordNames.LOG_WARN),
    ERROR(RecordNames.LOG_ERROR),
    ALARM(RecordNames.LOG_ALARM),
    /** Nothing is captured. */
    OFF(null);

    private final String recordName;

    Level(String recordName) {
        this.recordName = recordName;
    }

    /** The {@code x_name} of a record at this level. */
    public String recordName() {
        return recordName;
    }

    /** True when a record at {@code level} passes this threshold. */
    public boolean admits(Level level) {
        return this != OFF && level.ordinal() >= ordinal();
    }

    /** Parses a level name in any case ({@code WARNING} is WARN); null when unknown. */
    public static Level parse(String s) {
        if (s == null) {
            return null;
        }
        String u = s.trim().toUpperCase(Locale.ROOT);
        if (u.equals("WARNING")) {
            return WARN;
        }
        for (Level l : values()) {
            if (l.name().equals(u)) {
                return l;
            }
        }
        return null;
    }
}
