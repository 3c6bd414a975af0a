package io.rpctrace.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory only this process's user can write to: what {@link RewriteCache} requires of its
 * directories, since a rewrite read from one is defined as the application's class.
 */
final class PrivateDirectory {
    private PrivateDirectory() {
    }

    /**
     * Creates {@code dir} readable and writable by this user only, or checks that an existing
     * one is not writable by anyone else (on file systems with POSIX permissions): a rewrite
     * read from it is defined as the application's class.
     */
    static void create(Path dir) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(dir.getParent() == null ? dir : dir.getParent(),
                PosixFileAttributeView.class);
        if (!Files.isDirectory(dir)) {
            if (posix != null) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        check(dir);
    }

    /** Fails unless {@code dir} is this user's and nobody else can write to it (where permissions are POSIX). */
    static void check(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by other users");
        }
        Object owner = Files.getAttribute(dir, "unix:uid");
        Object self = ownUid();
        if (self == null) {
            // No /proc (macOS): a file this process creates has its user (a read-only directory fails here).
            Path probe = Files.createTempFile(dir, "owner", ".tmp");
            try {
                self = Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        }
        if (!owner.equals(self)) {
            throw new IOException(dir + " belongs to another user");
        }
    }

    /** This process's user id from {@code /proc/self} (Linux), or null. */
    private static Object ownUid() {
        try {
            return Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
