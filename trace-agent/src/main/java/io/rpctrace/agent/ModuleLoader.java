package io.rpctrace.agent;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds the instrumentation modules: those shaded into the agent jar (its service file),
 * plus those of the jars or directories named by {@code agent.extensions} (path-separator
 * separated; how tests add a module of their own, and how a user adds an in-house one).
 */
final class ModuleLoader {
    static final String EXTENSIONS = "agent.extensions";

    private ModuleLoader() {
    }

    /**
     * @param agentJar the agent jar, on the boot class path: its service file names the
     *     modules it carries (read directly: a ServiceLoader would also see the application's
     *     class path, and none sees a boot class path appended at run time)
     */
    static Result load(Config config, File agentJar) throws IOException {
        Map<String, InstrumentationModule> byName = new LinkedHashMap<>();
        for (String className : bundled(agentJar)) {
            try {
                InstrumentationModule m = (InstrumentationModule) Class.forName(className, true, null)
                        .getDeclaredConstructor().newInstance();
                byName.put(m.name(), m);
            } catch (Exception | LinkageError e) {
                System.err.println("rpctrace: instrumentation module " + className + " cannot be loaded (" + e + "); skipped");
            }
        }
        ClassLoader agentLoader = ClassLoader.getSystemClassLoader().getParent();
        String extensions = config.get(EXTENSIONS, null);
        if (extensions != null) {
            List<URL> urls = new ArrayList<>();
            for (String path : extensions.split(File.pathSeparator)) {
                if (path.trim().isEmpty()) {
                    continue;
                }
                File f = new File(path.trim());
                if (!f.exists()) {
                    config.report(EXTENSIONS, path, "names no file or directory", "the others");
                    continue;
                }
                try {
                    urls.add(f.toURI().toURL());
                } catch (MalformedURLException e) {
                    config.report(EXTENSIONS, path, "is not a path", "the others");
                }
            }
            if (!urls.isEmpty()) {
                collect(new ExtensionClassLoader(urls.toArray(new URL[0]), agentLoader), byName);
            }
        }
        List<InstrumentationModule> enabled = new ArrayList<>();
        List<InstrumentationModule> disabled = new ArrayList<>();
        for (InstrumentationModule m : byName.values()) {
            boolean on = config.getBoolean(ConfigKeys.instrumentationEnabled(m.name()), m.enabledByDefault());
            (on ? enabled : disabled).add(m);
        }
        return new Result(enabled, disabled);
    }

    private static List<String> bundled(File agentJar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar)) {
            JarEntry e = jar.getJarEntry("META-INF/services/" + InstrumentationModule.class.getName());
            if (e == null) {
                return names;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(jar.getInputStream(e), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static void collect(ClassLoader loader, Map<String, InstrumentationModule> byName) {
        Iterator<InstrumentationModule> it = ServiceLoader.load(InstrumentationModule.class, loader).iterator();
        while (true) {
            InstrumentationModule m;
            try {
                if (!it.hasNext()) {
                    return;
                }
                m = it.next();
            } catch (ServiceConfigurationError e) {
                System.err.println("rpctrace: an instrumentation module cannot be loaded (" + e.getMessage()
                        + "); skipped");
                continue;
            }
            if (byName.containsKey(m.name()) && byName.get(m.name()).getClass() == m.getClass()) {
                continue;   // the same module seen through a parent loader
            }
            byName.put(m.name(), m);
        }
    }

    /** The modules to install, and those turned off. */
    static final class Result {
        private final List<InstrumentationModule> enabled;
        private final List<InstrumentationModule> disabled;

        Result(List<InstrumentationModule> enabled, List<InstrumentationModule> disabled) {
            this.enabled = Collections.unmodifiableList(enabled);
            this.disabled = Collections.unmodifiableList(disabled);
        }

        List<InstrumentationModule> enabled() {
            return enabled;
        }

        List<InstrumentationModule> disabled() {
            return disabled;
        }
    }
}
