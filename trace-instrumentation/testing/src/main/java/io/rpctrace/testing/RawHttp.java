package io.rpctrace.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An uninstrumented HTTP/1.1 client for server tests on a plain socket: it sends exactly the bytes a test
 * gives (hostile headers included) and adds nothing of its own.
 */
public final class RawHttp {
    /** A response: status, headers (lower-cased names, first value), body, and the head as sent. */
    public record Response(int status, Map<String, String> headers, String body, String head) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Every value of header {@code name} in the head, in order (a repeated header has several). */
        public List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        /** The body as the application wrote it: {@link #body} without the chunks' framing when chunked. */
        public String content() {
            if (!"chunked".equalsIgnoreCase(header("Transfer-Encoding"))) {
                return body;
            }
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            return out.toString();
        }
    }

    private RawHttp() {
    }

    /** {@code GET target} with {@code headerLines} ({@code "Name: value"}, sent as ISO-8859-1 bytes). */
    public static Response get(int port, String target, String... headerLines) {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        return exchange(port, sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response exchange(int port, byte[] request) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String headText = text.substring(0, end < 0 ? text.length() : end);
            String[] head = headText.split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            head[i].substring(colon + 1).trim());
                }
            }
            int status = Integer.parseInt(head[0].split(" ")[1]);
            return new Response(status, headers, end < 0 ? "" : text.substring(end + 4), headText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
