package io.rpctrace.viewer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Plain HTTP to an OpenSearch or Elasticsearch engine ({@code --es URL}), with nothing but the
 * JDK: JSON requests, whole answers as bytes. Credentials come from the URL's user part
 * ({@code https://user:secret@search:9200}); HTTPS uses the JVM's trust store.
 */
final class EngineClient {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 120_000;

    private final String base;
    private final String display;
    private final String authorization;

    /** @throws IllegalArgumentException when {@code url} is not an http(s) URL */
    EngineClient(String url) {
        URL u;
        try {
            u = new URL(url);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("--es " + url + " is not a URL (e.g. http://localhost:9200)");
        }
        if (!u.getProtocol().equals("http") && !u.getProtocol().equals("https")) {
            throw new IllegalArgumentException("--es " + url + " is not an http or https URL");
        }
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        String path = u.getPath().endsWith("/") ? u.getPath().substring(0, u.getPath().length() - 1) : u.getPath();
        this.base = u.getProtocol() + "://" + u.getHost() + port + path;
        this.display = base; // never the credentials
        this.authorization = u.getUserInfo() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                decode(u.getUserInfo()).getBytes(StandardCharsets.UTF_8));
    }

    /** The engine's URL without credentials, for messages. */
    String display() {
        return display;
    }

    /** An answer: its HTTP status and body. */
    static final class Response {
        final int status;
        final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A failure to talk to the engine at all, said in one line. */
    static final class EngineException extends Exception {
        private static final long serialVersionUID = 1L;

        EngineException(String message) {
            super(message);
        }
    }

    Response request(String method, String path, byte[] json) throws EngineException {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) new URL(base + path).openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setRequestProperty("Accept", "application/json");
            if (authorization != null) {
                c.setRequestProperty("Authorization", authorization);
            }
            if (json != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(json.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(json);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Response(status, in == null ? new byte[0] : readAll(in));
        } catch (ConnectException e) {
            throw new EngineException("cannot reach " + display + ": connection refused (is the engine running? is --es right?)");
        } catch (UnknownHostException e) {
            throw new EngineException("cannot reach " + display + ": unknown host " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new EngineException("cannot reach " + display + ": no answer in time (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new EngineException("cannot reach " + display + ": " + e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (InputStream i = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = i.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String decode(String userInfo) {
        try {
            // percent-escapes only: a '+' in a password is a '+'
            return java.net.URLDecoder.decode(userInfo.replace("+", "%2B"), "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            return userInfo;
        }
    }
}
