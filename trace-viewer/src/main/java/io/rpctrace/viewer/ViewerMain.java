package io.rpctrace.viewer;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.util.Arrays;

/**
 * The trace viewer's command line, run as {@code java -jar trace-agent.jar <command> ...}:
 *
 * <pre>
 * trace &lt;traceId&gt; [paths...] [--html FILE] [--json]   draw one trace (--es URL: from the engine)
 * errors [paths...] [--since 1h] [--top N]            traces with error records, newest first
 * slow [paths...] [--since 1h] [--top N]              the slowest request.info records
 * help                                                this text
 * </pre>
 *
 * Paths are files (plain or gzip), directories (searched for {@code *.log*} and {@code *.gz}),
 * or {@code -} for stdin; without paths, the configured {@code log.dir}. Exit status: 0 when
 * something was found, 1 when nothing was, 2 for a usage error or an output that cannot be
 * written.
 */
public final class ViewerMain {
    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int USAGE = 2;
    /** The search engine of {@code --es} could not be read (unreachable, no index, an error answer). */
    static final int ENGINE = 3;

    static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar trace-agent.jar <command> [arguments]",
            "",
            "  trace <traceId> [paths...|--es URL] [--html FILE] [--json]",
            "        draw one trace by RPC id: offset, duration, service, record, action, code",
            "        --html FILE   also write a self-contained HTML waterfall page",
            "        --json        print the assembled tree as JSON instead of text",
            "  errors [paths...|--es URL] [--since 1h] [--top N]",
            "        the traces with error records (*.error, log.error/exception/alarm, 5xx), newest first",
            "  slow [paths...|--es URL] [--since 1h] [--top N]",
            "        the slowest request.info records (the ids worth opening)",
            "  help  this text",
            "",
            "paths: log files (plain or .gz), directories (searched for *.log* and *.gz files),",
            "       or - for stdin (e.g. ssh host cat /var/log/app/*.trace.log | ... trace ID -);",
            "       default: the configured log.dir (-Drpctrace.log.dir, RPCTRACE_LOG_DIR; ./logs).",
            "--since: 30s, 15m, 1h, 2d (records that started in that window); --top: default 20.",
            "--threads N: files and ranges of large files scanned in parallel (default: the cores, at most 4);",
            "--quiet: no scan summary on stderr.",
            "--es URL [--index PATTERN]: read from OpenSearch/Elasticsearch instead of files",
            "       (what trace-shipping indexes; default index rpctrace-*; credentials as https://user:pw@host:9200).",
            "exit status: 0 found, 1 nothing found, 2 usage error or output not writable, 3 engine not readable.");

    private ViewerMain() {
    }

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        PrintStream out = utf8(new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16));
        int status = run(args, System.in, out, System.err);
        out.flush();
        System.exit(status);
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        try {
            switch (args[0]) {
                case "trace":
                    return TraceCommand.run(Arguments.parse(args, 1, Arrays.asList("--html", "--threads", "--es", "--index"),
                            Arrays.asList("--json", "--quiet")), stdin, out, err);
                case "errors":
                    return ErrorsCommand.run(Arguments.parse(args, 1, Arrays.asList("--since", "--top", "--threads", "--es",
                            "--index"), Arrays.asList("--quiet")), stdin, out, err);
                case "slow":
                    return SlowCommand.run(Arguments.parse(args, 1, Arrays.asList("--since", "--top", "--threads", "--es",
                            "--index"), Arrays.asList("--quiet")), stdin, out, err);
                case "help":
                case "-h":
                case "--help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    err.println("rpctrace: unknown command '" + args[0] + "'");
                    err.println(USAGE_TEXT);
                    return USAGE;
            }
        } catch (IllegalArgumentException e) {
            err.println("rpctrace: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
    }

    /** Scanning threads: the cores, at most 4 (beyond that the page cache copy is the limit). */
    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    static PrintStream utf8(OutputStream out) {
        try {
            return new PrintStream(out, false, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
