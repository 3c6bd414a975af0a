package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rpctrace.viewer.EngineClient.EngineException;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Records from OpenSearch or Elasticsearch ({@code --es URL [--index PATTERN]}): a trace's
 * records from every host in one search, paged with a scroll so a trace of any size comes whole
 * (past the engines' 10 000-hit window); the error and slow lists as one aggregation or sorted
 * search. Failures are one line: the engine unreachable, no index matching the pattern, an
 * answer that is not a search result.
 */
final class EngineSearch {
    /** The daily indices trace-shipping writes. */
    static final String DEFAULT_INDEX = "rpctrace-*";
    static final int PAGE_SIZE = 5000;
    private static final String KEEP_ALIVE = "2m";
    private static final JsonFactory JSON = new JsonFactory();

    private final EngineClient client;
    private final String index;
    private final String indexPath;
    private final int pageSize;
    /** Search requests made (pages). */
    int requests;
    /** Bytes of search answers. */
    long bytes;

    EngineSearch(String url, String index) {
        this(url, index, PAGE_SIZE);
    }

    EngineSearch(String url, String index, int pageSize) {
        this.client = new EngineClient(url);
        this.index = index == null ? DEFAULT_INDEX : index;
        this.indexPath = "/" + encode(this.index);
        this.pageSize = pageSize;
    }

    /**
     * The search of a command's {@code --es URL [--index PATTERN]}; {@code ownPositionals} are
     * the command's own (a trace id), anything after them would be paths, which {@code --es}
     * replaces.
     */
    static EngineSearch of(Arguments a, int ownPositionals) {
        if (a.positional.size() > ownPositionals) {
            throw new IllegalArgumentException("--es reads the search engine: give no paths with it");
        }
        return new EngineSearch(a.value("--es"), a.value("--index"));
    }

    /** After the search: counts what came in, and says it on stderr in one line unless {@code --quiet}. */
    void summarize(ScanStats stats, Arguments a, java.io.PrintStream err) {
        stats.bytes.addAndGet(bytes);
        if (!a.flag("--quiet")) {
            err.println("rpctrace: searched " + where() + ": " + stats.summaryOfSearch(requests));
        }
    }

    /** Says why the engine could not be read; returns the exit status for it. */
    static int failed(EngineException e, java.io.PrintStream err) {
        err.println("rpctrace: " + e.getMessage());
        return ViewerMain.ENGINE;
    }

    /** The engine's URL without credentials. */
    String url() {
        return client.display();
    }

    /** {@code rpctrace-* at http://host:9200}, for messages. */
    String where() {
        return index + " at " + client.display();
    }

    /** Every record of one trace, in index order. */
    List<TraceRecord> trace(String traceId, ScanStats stats) throws EngineException {
        List<TraceRecord> out = new ArrayList<>();
        Page page = search(indexPath + "/_search?scroll=" + KEEP_ALIVE, EngineQueries.trace(traceId, pageSize));
        String scrollId = page.scrollId;
        try {
            while (true) {
                for (TraceRecord r : page.hits) {
                    if (r == null) {
                        stats.malformed.incrementAndGet();
                    } else if (traceId.equals(r.traceId())) {
                        out.add(r);
                    }
                }
                if (page.hits.size() < pageSize || page.scrollId == null) {
                    return out;
                }
                page = search("/_search/scroll", EngineQueries.scroll(page.scrollId, KEEP_ALIVE));
                if (page.scrollId != null) {
                    scrollId = page.scrollId;
                }
            }
        } finally {
            if (scrollId != null) {
                try {
                    client.request("DELETE", "/_search/scroll", EngineQueries.clearScroll(scrollId));
                } catch (EngineException ignored) {
                    // it expires by itself after KEEP_ALIVE
                }
            }
        }
    }

    /** The {@code errors} aggregation: up to {@code top} traces, and how many have errors. */
    ErrorsFromEngine errors(long fromMs, int top) throws EngineException {
        EngineClient.Response r = client.request("POST", indexPath + "/_search", EngineQueries.errors(fromMs, top));
        checkAnswer(r);
        return ErrorsFromEngine.parse(r.body, this);
    }

    /** The {@code top} slowest served requests. */
    List<TraceRecord> slow(long fromMs, int top) throws EngineException {
        Page page = search(indexPath + "/_search", EngineQueries.slow(fromMs, top));
        List<TraceRecord> out = new ArrayList<>();
        for (TraceRecord r : page.hits) {
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** One page of hits. */
    static final class Page {
        String scrollId;
        int shards = -1;
        final List<TraceRecord> hits = new ArrayList<>();
    }

    private Page search(String path, byte[] body) throws EngineException {
        EngineClient.Response r = client.request("POST", path, body);
        checkAnswer(r);
        Page page = parsePage(r.body);
        if (page.shards == 0) {
            throw noIndex();
        }
        return page;
    }

    void checkAnswer(EngineClient.Response r) throws EngineException {
        requests++;
        bytes += r.body.length;
        if (r.status == 404 && r.text().contains("index_not_found_exception")) {
            throw noIndex();
        }
        if (r.status / 100 != 2) {
            throw new EngineException(client.display() + " answered HTTP " + r.status + ": " + errorReason(r.body));
        }
    }

    EngineException noIndex() {
        return new EngineException("no index " + index + " at " + client.display()
                + " (has an indexer written records there? --index names another pattern)");
    }

    /** Reads {@code _scroll_id}, {@code _shards.total} and each hit's {@code _source}. */
    Page parsePage(byte[] body) throws EngineException {
        Page page = new Page();
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals("_scroll_id") && v == JsonToken.VALUE_STRING) {
                    page.scrollId = p.getText();
                } else if (key.equals("_shards") && v == JsonToken.START_OBJECT) {
                    page.shards = (int) numberIn(p, "total");
                } else if (key.equals("hits") && v == JsonToken.START_OBJECT) {
                    readHits(p, body, page.hits);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new EngineException(client.display() + " did not answer with a search result: " + e.getMessage());
        }
        return page;
    }

    /** Inside a {@code hits} object: every {@code hits[]._source} as a record (null for one that is not). */
    void readHits(JsonParser p, byte[] body, List<TraceRecord> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (!key.equals("hits") || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String idx = "";
                String id = "";
                int from = -1;
                int to = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    JsonToken hv = p.nextToken();
                    if (k.equals("_index") && hv == JsonToken.VALUE_STRING) {
                        idx = p.getText();
                    } else if (k.equals("_id") && hv == JsonToken.VALUE_STRING) {
                        id = p.getText();
                    } else if (k.equals("_source") && hv == JsonToken.START_OBJECT) {
                        from = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        to = (int) p.currentTokenLocation().getByteOffset() + 1;
                    } else {
                        p.skipChildren();
                    }
                }
                out.add(from < 0 ? null : EngineHits.record(body, from, to, idx + "/" + id));
            }
        }
    }

    /** Inside an object: the number at {@code key} (-1 when absent or null), skipping the rest. */
    static double numberIn(JsonParser p, String key) throws IOException {
        double found = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (k.equals(key) && (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT)) {
                found = p.getDoubleValue();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** {@code error.reason} (or the root cause's) of an error answer, on one line. */
    static String errorReason(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(body)) {
            String reason = null;
            String type = null;
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("reason") && reason == null) {
                    if (p.nextToken() == JsonToken.VALUE_STRING) {
                        reason = p.getText();
                    }
                } else if (t == JsonToken.FIELD_NAME && p.currentName().equals("type") && type == null) {
                    if (p.nextToken() == JsonToken.VALUE_STRING) {
                        type = p.getText();
                    }
                }
            }
            if (reason != null) {
                return TextRenderer.oneLine((type == null ? "" : type + ": ") + reason);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: say what came
        }
        return TextRenderer.oneLine(text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    private static void expect(boolean ok) throws IOException {
        if (!ok) {
            throw new IOException("not a JSON object");
        }
    }

    private static String encode(String index) {
        try {
            return URLEncoder.encode(index, "UTF-8").replace("%2A", "*").replace("%2C", ",");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
