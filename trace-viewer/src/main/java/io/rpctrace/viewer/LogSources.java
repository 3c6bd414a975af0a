package io.rpctrace.viewer;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The logs to read: files named on the command line (read whatever their name), directories
 * (searched recursively for {@code *.log*}, {@code *.gz}, {@code *.ndjson} and {@code *.jsonl}
 * files: the live {@code <service>.trace.log}, its rolled and compressed siblings, what Filebeat's
 * file output writes), and {@code -} for stdin.
 * With no path, the configured {@code log.dir}. Gzip is recognised by its magic bytes, not
 * by the file name.
 */
final class LogSources {
    /** Name used for standard input. */
    static final String STDIN = "-";
    private static final int MAX_DEPTH = 8;

    private LogSources() {
    }

    /** The files behind {@code args}; missing paths are reported on {@code err} and counted. */
    static List<String> resolve(List<String> args, ScanStats stats, PrintStream err) {
        List<String> paths = args;
        if (paths.isEmpty()) {
            Config config = Config.load(null);
            paths = Collections.singletonList(config.get(ConfigKeys.LOG_DIR, "./logs"));
        }
        List<String> out = new ArrayList<>();
        for (String arg : paths) {
            if (STDIN.equals(arg)) {
                out.add(STDIN);
                continue;
            }
            Path p = Paths.get(arg);
            if (Files.isDirectory(p)) {
                List<String> found = new ArrayList<>();
                try {
                    Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH,
                            new SimpleFileVisitor<Path>() {
                                @Override
                                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                                    if (attrs.isRegularFile() && isLogFile(f)) {
                                        found.add(f.toString());
                                    }
                                    return FileVisitResult.CONTINUE;
                                }

                                @Override
                                public FileVisitResult visitFileFailed(Path f, IOException e) {
                                    // unreadable entries and symlink loops: skip them, keep walking
                                    err.println("rpctrace: cannot read " + f + " (" + e.getClass().getSimpleName()
                                            + "); skipped");
                                    stats.unreadable.incrementAndGet();
                                    return FileVisitResult.CONTINUE;
                                }
                            });
                } catch (IOException | RuntimeException e) {
                    err.println("rpctrace: cannot list " + arg + ": " + e.getMessage() + "; skipped");
                    stats.unreadable.incrementAndGet();
                }
                Collections.sort(found);
                out.addAll(found);
            } else if (Files.isRegularFile(p) || Files.exists(p)) {
                out.add(arg);
            } else {
                err.println("rpctrace: " + arg + " does not exist; skipped");
                stats.unreadable.incrementAndGet();
            }
        }
        return once(out);
    }

    /**
     * The sources without a file named twice (a file and its directory both given, a directory
     * reached through a link too): each file is read once, so lines repeated inside one file are
     * told apart from a file read twice. A file is known by its device and inode where the file
     * system has them, else by its absolute path.
     */
    private static List<String> once(List<String> sources) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        List<String> out = new ArrayList<>(sources.size());
        for (String s : sources) {
            if (STDIN.equals(s) || seen.add(fileKey(s))) {
                out.add(s);
            }
        }
        return out;
    }

    private static Object fileKey(String source) {
        Path p = Paths.get(source);
        try {
            Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
            if (key != null) {
                return key;
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: opening it reports that; its path stands for it meanwhile
        }
        return p.toAbsolutePath().normalize().toString();
    }

    private static boolean isLogFile(Path f) {
        String name = f.getFileName() == null ? "" : f.getFileName().toString();
        return !name.startsWith(".") && (name.contains(".log") || name.endsWith(".gz") || name.endsWith(".ndjson")
                || name.endsWith(".jsonl"));
    }

    /** Opens a file or stdin, decompressing gzip. */
    static InputStream open(String source, InputStream stdin) throws IOException {
        InputStream raw = STDIN.equals(source) ? stdin : new FileInputStream(source);
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] magic = new byte[2];
        int n = 0;
        while (n < 2) {
            int r = in.read(magic, n, 2 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.unread(magic, 0, n);
        if (n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /**
     * Scans every source with up to {@code threads} threads, each with its own scanner and
     * sink; returns the sinks for the caller to merge. Plain files larger than
     * {@link #RANGE_BYTES} are cut into ranges of whole lines ({@link FileRange}) so that every
     * thread has work until the end, even on one large file; larger pieces start first.
     */
    static <S extends LineSink> List<S> scan(List<String> sources, InputStream stdin, Needle needle,
                                             Supplier<S> sinks, ScanStats stats, PrintStream err, int threads) {
        return scan(sources, stdin, needle, sinks, stats, err, threads, RANGE_BYTES);
    }

    /** {@link #scan} with plain files cut into ranges of {@code rangeBytes}. */
    static <S extends LineSink> List<S> scan(List<String> sources, InputStream stdin, Needle needle,
                                             Supplier<S> sinks, ScanStats stats, PrintStream err, int threads,
                                             long rangeBytes) {
        List<Piece> order = plan(sources, rangeBytes);
        int n = Math.max(1, Math.min(threads, order.size()));
        List<S> made = Collections.synchronizedList(new ArrayList<>());
        Worker<S> worker = new Worker<>(order, stdin, needle, sinks, made, stats, err);
        if (n == 1) {
            worker.run();
        } else {
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Thread thread = new Thread(worker, "rpctrace-viewer-scan-" + t);
                thread.setDaemon(true);
                thread.start();
                started.add(thread);
            }
            for (Thread thread : started) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return new ArrayList<>(made);
    }

    /** Range size for cutting plain files: 32 pieces in 256 MiB, enough to even out 2-4 threads. */
    static final long RANGE_BYTES = 8L << 20;

    /** One piece of work: a whole source, or the lines starting in one range of a plain file. */
    static final class Piece {
        final String source;
        final long start;
        /** {@link FileRange#TO_EOF} for a whole source or the last range of a file. */
        final long end;
        final long weight;

        Piece(String source, long start, long end, long weight) {
            this.source = source;
            this.start = start;
            this.end = end;
            this.weight = weight;
        }

        boolean whole() {
            return start == 0 && end == FileRange.TO_EOF;
        }
    }

    /** The pieces to scan, heaviest first (stdin, then compressed files by 8x their size, then the rest). */
    static List<Piece> plan(List<String> sources, long rangeBytes) {
        List<Piece> out = new ArrayList<>();
        for (String source : sources) {
            long size = size(source);
            if (!STDIN.equals(source) && size > rangeBytes && !isGzip(source)) {
                for (long start = 0; start < size; start += rangeBytes) {
                    long end = start + rangeBytes >= size ? FileRange.TO_EOF : start + rangeBytes;
                    out.add(new Piece(source, start, end, Math.min(size, start + rangeBytes) - start));
                }
            } else {
                out.add(new Piece(source, 0, FileRange.TO_EOF, size));
            }
        }
        Collections.sort(out, HEAVIEST_FIRST);
        return out;
    }

    private static final Comparator<Piece> HEAVIEST_FIRST = new Comparator<Piece>() {
        @Override
        public int compare(Piece a, Piece b) {
            return Long.compare(b.weight, a.weight);
        }
    };

    private static boolean isGzip(String file) {
        try (InputStream in = new FileInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException | RuntimeException e) {
            return false; // not cut; scanning it reports the problem once
        }
    }

    /** Takes pieces off the shared list until none is left; one scanner and one sink per thread. */
    private static final class Worker<S extends LineSink> implements Runnable {
        private final List<Piece> order;
        private final AtomicInteger next = new AtomicInteger();
        private final InputStream stdin;
        private final Needle needle;
        private final Supplier<S> sinks;
        private final List<S> made;
        private final ScanStats stats;
        private final PrintStream err;

        Worker(List<Piece> order, InputStream stdin, Needle needle, Supplier<S> sinks, List<S> made, ScanStats stats,
               PrintStream err) {
            this.order = order;
            this.stdin = stdin;
            this.needle = needle;
            this.sinks = sinks;
            this.made = made;
            this.stats = stats;
            this.err = err;
        }

        @Override
        public void run() {
            S sink = sinks.get();
            made.add(sink);
            LogScanner scanner = new LogScanner(needle, sink, stats);
            for (int i; (i = next.getAndIncrement()) < order.size(); ) {
                scanOne(scanner, order.get(i), stdin, needle, sink, stats, err);
            }
        }
    }

    /**
     * Scans one piece: a range of a plain file searched for a needle from a mapping of the
     * file ({@link MappedRange}) when it can be, everything else (and a range whose last line
     * is too long for the mapping) as a stream.
     */
    private static void scanOne(LogScanner scanner, Piece piece, InputStream stdin, Needle needle, LineSink sink,
                                ScanStats stats, PrintStream err) {
        String source = piece.source;
        if (piece.start == 0) {
            stats.files.incrementAndGet();
        }
        InputStream in = null;
        try {
            // short ids (under 14 characters) keep the stream's Horspool: mappings are read through ByteBuffer
            if (!piece.whole() && needle != null && needle.sampled() && MappedRange.available()
                    && MappedRange.scan(source, piece.start, piece.end, needle, sink, stats)) {
                return;
            }
            in = piece.whole() ? open(source, stdin) : FileRange.open(source, piece.start, piece.end);
            scanner.scan(in, source);
        } catch (EOFException e) {
            stats.unreadable.incrementAndGet();
            err.println("rpctrace: " + source + " ends in the middle of its gzip data (still being written?); read what was there");
        } catch (ZipException e) {
            stats.unreadable.incrementAndGet();
            err.println("rpctrace: " + source + " is corrupt gzip (" + e.getMessage() + "); read what was there");
        } catch (IOException | RuntimeException e) {
            stats.unreadable.incrementAndGet();
            err.println("rpctrace: cannot read " + source + ": " + e + "; skipped");
        } finally {
            if (in != null && !STDIN.equals(source)) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only; nothing to lose
                }
            }
        }
    }

    private static long size(String source) {
        if (STDIN.equals(source)) {
            return Long.MAX_VALUE;
        }
        long len = new File(source).length();
        // compressed files take several times longer per byte on disk
        return source.endsWith(".gz") ? len * 8 : len;
    }

}
