package io.rpctrace.internal;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Who this JVM is: service name, department, version and process id. */
public final class Service {
    private final String name;
    private final String department;
    private final String version;
    private final String pid;

    Service(String name, String department, String version, String pid) {
        this.name = name;
        this.department = department;
        this.version = version;
        this.pid = pid;
    }

    /** From {@code service}, {@code department}, {@code version}; the name defaults to the main jar or class. */
    public static Service from(Config config) {
        String name = config.get(ConfigKeys.SERVICE, null);
        if (name == null) {
            name = guessName(System.getProperty("sun.java.command"));
        }
        name = sanitize(name);
        String version = config.get(ConfigKeys.VERSION, name);
        return new Service(name, config.get(ConfigKeys.DEPARTMENT, null), version, currentPid());
    }

    /**
     * {@code app.jar args} → {@code app}; {@code com.shop.OrderMain args} → {@code ordermain};
     * Quarkus's launcher {@code quarkus-app/quarkus-run.jar} → its application jar in
     * {@code quarkus-app/app/} ({@code orders-1.0.jar} → {@code orders-1.0}).
     */
    static String guessName(String command) {
        if (command == null || command.trim().isEmpty()) {
            return "app";
        }
        String first = command.trim().split("\\s+")[0];
        if (first.endsWith(".jar")) {
            File jar = new File(first);
            if (jar.getName().equals(QUARKUS_LAUNCHER)) {
                File app = quarkusApplicationJar(jar);
                if (app != null) {
                    jar = app;
                }
            }
            String f = jar.getName();
            return f.substring(0, f.length() - 4);
        }
        int dot = first.lastIndexOf('.');
        return (dot >= 0 ? first.substring(dot + 1) : first).toLowerCase(Locale.ROOT);
    }

    /**
     * Design note: every Quarkus application in JVM mode is started as {@code quarkus-run.jar}
     * (in Quarkus's container images as {@code /deployments/quarkus-run.jar}), so that name would
     * give every Quarkus service one name, one {@code x_version} and one record file.
     */
    private static final String QUARKUS_LAUNCHER = "quarkus-run.jar";

    /** The only jar in {@code app/} beside Quarkus's launcher, or null. */
    private static File quarkusApplicationJar(File launcher) {
        File dir = launcher.getAbsoluteFile().getParentFile();
        File[] jars = dir == null ? null : new File(dir, "app").listFiles((d, n) -> n.endsWith(".jar"));
        return jars != null && jars.length == 1 ? jars[0] : null;
    }

    /** Keeps a name safe as a file name: {@code [A-Za-z0-9._-]}, others become {@code _}. */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length() && i < 100; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        String s = sb.toString();
        return s.isEmpty() || s.startsWith(".") ? "app" + s : s;
    }

    private static String currentPid() {
        try {
            String p = new File("/proc/self").getCanonicalFile().getName();
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                return p;
            }
        } catch (Exception ignored) {
            // not Linux: fall back to the management bean
        }
        String n = ManagementFactory.getRuntimeMXBean().getName();
        int at = n.indexOf('@');
        return at > 0 ? n.substring(0, at) : n;
    }

    /** The service name, used for the log file name. */
    public String name() {
        return name;
    }

    /** {@code x_department}, or null. */
    public String department() {
        return department;
    }

    /** {@code x_version}. */
    public String version() {
        return version;
    }

    /** The process id of {@code x_pid}. */
    public String pid() {
        return pid;
    }
}
