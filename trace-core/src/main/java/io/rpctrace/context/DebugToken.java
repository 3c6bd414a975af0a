package io.rpctrace.context;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Debug-mode tokens (docs/propagation.md#debug-mode). The entry service accepts {@code X-Debug: 1}
 * with an {@code X-Debug-Token} equal to the configured secret; downstream the raw secret is never
 * sent: the token becomes {@code HMAC-SHA256(secret, traceId)} in hex, which the next service
 * (configured with the same secret) verifies. Comparisons run in constant time.
 *
 * <pre>{@code
 * DebugToken dt = new DebugToken(config.get("debug.token"));
 * boolean debug = "1".equals(xDebug) && dt.accepts(traceId, xDebugToken);
 * String forward = dt.forTrace(traceId);
 * }</pre>
 */
public final class DebugToken {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final byte[] secret;
    private final String secretText;

    /** {@code secret} null or empty disables debug mode. */
    public DebugToken(String secret) {
        this.secretText = secret == null || secret.isEmpty() ? null : secret;
        this.secret = secretText == null ? null : secretText.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code text} with every occurrence of the raw secret replaced by {@code mask} ({@code text}
     * itself when it has none, or no secret is configured). A library that logs a request's
     * headers at debug level (Spring Cloud Gateway's {@code ObservedRequestHttpHeadersFilter}
     * does with Micrometer observation on) logs the entry request's {@code X-Debug-Token} exactly
     * when debug mode turns its level down: its log record must not carry the secret.
     */
    public String masked(String text, String mask) {
        if (secretText == null || text == null || text.indexOf(secretText) < 0) {
            return text;
        }
        return text.replace(secretText, mask);
    }

    /** True when a secret is configured. */
    public boolean enabled() {
        return secret != null;
    }

    /**
     * True when {@code token} is the raw secret (entry service) or the trace-bound token of
     * {@code traceId} (a downstream hop). False when no secret is configured.
     */
    public boolean accepts(String traceId, String token) {
        if (secret == null || token == null || token.isEmpty() || token.length() > 1024) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean raw = MessageDigest.isEqual(given, secret);
        boolean bound = traceId != null
                && MessageDigest.isEqual(given, forTrace(traceId).getBytes(StandardCharsets.UTF_8));
        return raw | bound;
    }

    /** The token sent downstream for {@code traceId}, or null without a secret. */
    public String forTrace(String traceId) {
        if (secret == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal(traceId.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[h.length * 2];
            for (int i = 0; i < h.length; i++) {
                out[2 * i] = HEX[(h[i] >> 4) & 0xF];
                out[2 * i + 1] = HEX[h[i] & 0xF];
            }
            return new String(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
