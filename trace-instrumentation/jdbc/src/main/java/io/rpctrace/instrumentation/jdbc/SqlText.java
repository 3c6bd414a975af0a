package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.internal.ParamJson;
import io.rpctrace.internal.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What of a SQL statement may go into a record: the text for {@code x_action} (capped; string
 * literals masked when the statement mentions a secret), which {@code ?} placeholders bind a
 * secret column (masked in {@code x_param}), and the bound values as JSON text.
 *
 * <pre>{@code
 * SqlText.action("select * from t where id = ?", true, 2048)    // unchanged
 * SqlText.action("alter user app identified by 's3cret'", false, 256)
 *                                                    // "alter user app identified by '?'"
 * SqlText.secretParams("update users set password = ? where id = ?")  // [true, false]
 * }</pre>
 */
public final class SqlText {
    /** Parameter and column names whose values are never written (docs/record.md#secrets). */
    public static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|pwd|secret|token).*");
    private static final Pattern SECRET_SQL = Pattern.compile("(?is).*(password|passwd|secret|token|identified\\s+by).*");

    private SqlText() {
    }

    /**
     * {@code x_action} for {@code sql}: at most {@code max} characters. SQL run as text (not
     * prepared) whose text mentions a password, secret or token has its string literals
     * replaced by {@code '?'} first.
     */
    public static String action(String sql, boolean prepared, int max) {
        if (sql == null) {
            return null;
        }
        String s = sql;
        if (!prepared && s.indexOf('\'') >= 0 && SECRET_SQL.matcher(s).matches()) {
            s = maskLiterals(s);
        }
        if (s.length() > max) {
            int end = max;
            if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.substring(0, end) + ParamJson.CUT;
        }
        return s;
    }

    /** Replaces every {@code '...'} literal (with {@code ''} escapes) by {@code '?'}. */
    /** How much of a statement {@link #siteShape} looks at. */
    static final int SHAPE_CHARS = 512;

    /**
     * What of {@code sql} stays the same between two runs from one call site, for the
     * {@code x_module} cache (CallerModule.Shape): its first {@value #SHAPE_CHARS} characters with
     * each string literal ({@code 'a''b'}) and each number ({@code 42}, {@code 1.5e3},
     * {@code 0x1F}) replaced by {@code ?}. A digit inside a name ({@code t1}) is the name's.
     *
     * <pre>{@code
     * SqlText.siteShape("select * from t1 where id = 42 and name = 'bob'")
     *                                     // "select * from t1 where id = ? and name = ?"
     * }</pre>
     */
    static String siteShape(String sql) {
        int n = Math.min(sql.length(), SHAPE_CHARS);
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                sb.append('?');
                i = literalEnd(sql, i, n) + 1;
            } else if (c >= '0' && c <= '9' && (i == 0 || !nameChar(sql.charAt(i - 1)))) {
                while (i < n && (nameChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;   // digits, a fraction, an exponent, a hex literal's letters
                }
                sb.append('?');
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Where the string literal opened at {@code open} ends: the index of its closing quote
     * ({@code ''} and a backslash escape stay inside), or {@code n} when it is not closed before.
     */
    private static int literalEnd(String sql, int open, int n) {
        int j = open + 1;
        while (j < n) {
            char d = sql.charAt(j);
            if (d == '\\' && j + 1 < n) {
                j += 2;
                continue;
            }
            if (d == '\'') {
                if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                    j += 2;
                    continue;
                }
                break;
            }
            j++;
        }
        return j;
    }

    static String maskLiterals(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                sb.append("'?'");
                i = literalEnd(sql, i, n) + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /**
     * For each {@code ?} placeholder, in order, whether it binds a secret: the column it is
     * compared with or assigned to ({@code password = ?}), or its column in an
     * {@code insert into t (a, password) values (?, ?)}. Null when there is none.
     */
    public static boolean[] secretParams(String sql) {
        if (sql == null || !SECRET.matcher(sql).matches()) {
            return null;
        }
        List<Integer> marks = placeholders(sql);
        if (marks.isEmpty()) {
            return null;
        }
        boolean[] out = new boolean[marks.size()];
        List<String> insertColumns = insertColumns(sql);
        boolean any = false;
        for (int k = 0; k < marks.size(); k++) {
            String column = insertColumns != null && k < insertColumns.size() ? insertColumns.get(k)
                    : identifierBefore(sql, marks.get(k));
            out[k] = column != null && SECRET.matcher(column).matches();
            any |= out[k];
        }
        return any ? out : null;
    }

    /** Positions of {@code ?} outside quotes and comments. */
    static List<Integer> placeholders(String sql) {
        List<Integer> out = new ArrayList<>();
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int j = sql.indexOf(c, i + 1);
                if (j < 0) {
                    break;
                }
                i = j;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int j = sql.indexOf('\n', i);
                if (j < 0) {
                    break;
                }
                i = j;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                if (j < 0) {
                    break;
                }
                i = j + 1;
            } else if (c == '?') {
                out.add(i);
            }
        }
        return out;
    }

    /** The identifier left of {@code pos}, skipping blanks and a comparison operator. */
    private static String identifierBefore(String sql, int pos) {
        int i = pos - 1;
        while (i >= 0 && Character.isWhitespace(sql.charAt(i))) {
            i--;
        }
        while (i >= 0 && "=<>!".indexOf(sql.charAt(i)) >= 0) {
            i--;
        }
        while (i >= 0 && Character.isWhitespace(sql.charAt(i))) {
            i--;
        }
        int end = i + 1;
        while (i >= 0 && (Character.isLetterOrDigit(sql.charAt(i)) || "_.`\"".indexOf(sql.charAt(i)) >= 0)) {
            i--;
        }
        String word = sql.substring(i + 1, end);
        if (word.equalsIgnoreCase("like")) {
            return identifierBefore(sql, i + 1);
        }
        return word.isEmpty() ? null : word;
    }

    /** The column list of {@code insert into t (a, b) values (...)}, or null. */
    private static List<String> insertColumns(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        int ins = lower.indexOf("insert");
        if (ins < 0) {
            return null;
        }
        int open = lower.indexOf('(', ins);
        int values = lower.indexOf("values", ins);
        if (open < 0 || values < 0 || open > values) {
            return null;
        }
        int close = lower.indexOf(')', open);
        if (close < 0 || close > values) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String c : sql.substring(open + 1, close).split(",")) {
            out.add(c.trim());
        }
        return out;
    }

    /**
     * The bound values as a JSON array ({@code ["abc",42,null,"***"]}): at most
     * {@link ParamJson#MAX_PARAMS}, strings capped at {@link ParamJson#MAX_VALUE_CHARS}; binary
     * values as their length; secrets masked.
     */
    public static String paramsJson(Object[] values, int count, boolean[] secret) {
        if (values == null || count <= 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(16 * count + 2).append('[');
        int n = Math.min(count, ParamJson.MAX_PARAMS);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (secret != null && i < secret.length && secret[i]) {
                sb.append('"').append(Secrets.MASK).append('"');
            } else {
                appendValue(sb, values[i]);
            }
        }
        if (count > n) {
            sb.append(",\"...\"");
        }
        return sb.append(']').toString();
    }

    /** One bound value: a Blob or Clob as {@code "<stream>"}, anything else as {@link ParamJson#appendValue}. */
    private static void appendValue(StringBuilder sb, Object v) {
        if (v != null && isLob(v)) {
            ParamJson.appendString(sb, "<stream>");
        } else {
            ParamJson.appendValue(sb, v);
        }
    }

    /** A Blob or Clob (named, not referenced: java.sql is not visible from the bootstrap class path). */
    private static boolean isLob(Object v) {
        for (Class<?> c : v.getClass().getInterfaces()) {
            String n = c.getName();
            if (n.equals("java.sql.Blob") || n.equals("java.sql.Clob") || n.equals("java.sql.NClob")) {
                return true;
            }
        }
        return false;
    }
}
