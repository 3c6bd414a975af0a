package io.rpctrace.writer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deletes this service's rolled files ({@code <service>.trace.log.*}) older than
 * {@code retention.days}, then the oldest ones while this service's files together exceed
 * {@code dir.max.bytes}. The active file is never deleted, and files of other services that
 * share the directory are never touched. Runs on the writer thread after each roll, at start
 * and hourly.
 */
final class Retention {
    private final Path dir;
    private final String activeName;
    private final long maxAgeMs;
    private final long dirMaxBytes;
    private final Clock clock;

    Retention(Path dir, String activeName, int retentionDays, long dirMaxBytes, Clock clock) {
        this.dir = dir;
        this.activeName = activeName;
        this.maxAgeMs = retentionDays * 86_400_000L;
        this.dirMaxBytes = dirMaxBytes;
        this.clock = clock;
    }

    /** Deletes what has to go; returns how many files were deleted. */
    int run() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Rolled> rolled = new ArrayList<>();
        long total = 0;
        String prefix = activeName + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                boolean active = n.equals(activeName);
                if (!active && !n.startsWith(prefix)) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                total += a.size();
                if (!active) {
                    rolled.add(new Rolled(p, a.lastModifiedTime().toMillis(), a.size()));
                }
            }
        }
        rolled.sort(Comparator.comparingLong((Rolled r) -> r.modified).thenComparing(r -> r.path.toString()));
        int deleted = 0;
        long cutoff = clock.millis() - maxAgeMs;
        for (Rolled r : rolled) {
            boolean tooOld = maxAgeMs > 0 && r.modified < cutoff;
            boolean tooBig = dirMaxBytes > 0 && total > dirMaxBytes;
            if (!tooOld && !tooBig) {
                continue; // sorted oldest first, but an old file may still be under the age limit
            }
            if (Files.deleteIfExists(r.path)) {
                deleted++;
            }
            total -= r.size;
        }
        return deleted;
    }

    private static final class Rolled {
        final Path path;
        final long modified;
        final long size;

        Rolled(Path path, long modified, long size) {
            this.path = path;
            this.modified = modified;
            this.size = size;
        }
    }
}
