package io.rpctrace.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * An application that loads many classes, for what the agent's type matching costs per loaded
 * class (docs/benchmarks.md, "Start-up"): loads (without initialising) every class of the jars
 * given as arguments through a class loader of its own, then exits. Timed whole, with the agent
 * and with one module turned off ({@code instrumentation.methods.enabled=false}).
 */
public final class ClassLoadingApp {
    private ClassLoadingApp() {
    }

    public static void main(String[] args) throws Exception {
        URL[] urls = new URL[args.length];
        for (int i = 0; i < args.length; i++) {
            urls[i] = new File(args[i]).toURI().toURL();
        }
        int loaded = 0;
        int failed = 0;
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoadingApp.class.getClassLoader())) {
            for (String jar : args) {
                try (JarFile f = new JarFile(jar)) {
                    for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (!n.endsWith(".class") || n.contains("-") || n.startsWith("META-INF")) {
                            continue;
                        }
                        try {
                            Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                            loaded++;
                        } catch (Throwable t) {
                            failed++;   // a missing optional dependency: not our concern here
                        }
                    }
                }
            }
        }
        System.out.println("loaded " + loaded + " classes (" + failed + " could not be)");
    }
}
