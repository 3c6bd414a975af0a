package io.rpctrace.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the relative links of Markdown files that do not resolve: a missing file, or a
 * fragment that names no anchor of the Markdown file it points into. Anchors are what
 * GitHub makes of headings (its slug rules, duplicates numbered {@code -1}, {@code -2}) plus
 * explicit {@code <a id="...">} / {@code <a name="...">}. Links with a scheme
 * ({@code https:}, {@code mailto:}) are external and not checked.
 *
 * <pre>{@code
 * List<String> broken = new MarkdownLinks(repoRoot).broken(Arrays.asList(readme, modelMd));
 * }</pre>
 */
final class MarkdownLinks {
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:[ \\t]*(\\S+)");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s[^>]*?\\b(?:id|name)\\s*=\\s*\"([^\"]*)\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_HREF = Pattern.compile("\\b(?:href|src)\\s*=\\s*\"([^\"]*)\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern INLINE_LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
    /** What GitHub's slugger removes: everything but letters, marks, digits, connector punctuation (_), spaces and '-'. */
    private static final Pattern NOT_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** One line per broken link: {@code file:line: target (reason)}. */
    List<String> broken(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = outsideFences(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String target : targets(withoutCodeSpans(lines.get(i)))) {
                    String reason = check(file, target);
                    if (reason != null) {
                        out.add(root.relativize(file.toAbsolutePath().normalize()) + ":" + (i + 1) + ": " + target
                                + " (" + reason + ")");
                    }
                }
            }
        }
        return out;
    }

    /** Why {@code target}, linked from {@code from}, does not resolve; null when it does or is external. */
    String check(Path from, String target) {
        if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = decode(hash < 0 ? target : target.substring(0, hash));
        String fragment = hash < 0 ? "" : decode(target.substring(hash + 1));
        Path file = path.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(path).normalize();
        if (!file.toAbsolutePath().normalize().startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (fragment.isEmpty() || !Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".md")) {
            return null;
        }
        return anchorsOf(file).contains(fragment) ? null : "no anchor #" + fragment + " in " + file.getFileName();
    }

    /** The anchors GitHub gives a Markdown file: heading slugs and explicit {@code <a id>}. */
    Set<String> anchorsOf(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Set<String> known = anchors.get(key);
        if (known == null) {
            known = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            List<String> lines = outsideFences(key);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = HTML_ANCHOR.matcher(withoutCodeSpans(lines.get(i)));
                while (m.find()) {
                    known.add(m.group(1));
                }
                String heading = heading(lines, i);
                if (heading != null) {
                    String slug = slug(heading);
                    Integer n = seen.get(slug);
                    known.add(n == null ? slug : slug + "-" + n);
                    seen.put(slug, n == null ? 1 : n + 1);
                }
            }
            anchors.put(key, known);
        }
        return known;
    }

    /** The heading text of line {@code i} (ATX, or setext by the next line), or null. */
    private static String heading(List<String> lines, int i) {
        String line = lines.get(i);
        Matcher atx = ATX_HEADING.matcher(line);
        if (atx.matches()) {
            return atx.group(1) == null ? "" : atx.group(1);
        }
        boolean paragraphLine = !line.trim().isEmpty() && !line.trim().startsWith("|")
                && !line.trim().startsWith("-") && !line.trim().startsWith("<");
        if (paragraphLine && i + 1 < lines.size() && SETEXT_UNDERLINE.matcher(lines.get(i + 1)).matches()
                && (i == 0 || lines.get(i - 1).trim().isEmpty() || ATX_HEADING.matcher(lines.get(i - 1)).matches())) {
            return line.trim();
        }
        return null;
    }

    /** GitHub's anchor for a heading: rendered text, lower case, punctuation removed, spaces to '-'. */
    static String slug(String headingMarkdown) {
        String text = INLINE_LINK_TEXT.matcher(headingMarkdown).replaceAll("$1");
        text = text.replaceAll("<[^>]+>", "").replace("`", "").replace("*", "");
        return NOT_SLUG.matcher(text.trim().toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    /** The link targets on one line (code spans already emptied). */
    static List<String> targets(String line) {
        List<String> out = new ArrayList<>();
        Matcher def = REFERENCE_DEFINITION.matcher(line);
        if (def.find()) {
            out.add(stripAngles(def.group(1)));
        }
        Matcher href = HTML_HREF.matcher(line);
        while (href.find()) {
            out.add(href.group(1));
        }
        int from = 0;
        while (true) {
            int open = line.indexOf("](", from);
            if (open < 0) {
                break;
            }
            int start = open + 2;
            int end = destinationEnd(line, start);
            if (end > start) {
                String dest = line.substring(start, end).trim();
                int space = dest.indexOf(' ');   // [text](target "title")
                out.add(stripAngles(space < 0 ? dest : dest.substring(0, space)));
            }
            from = Math.max(start, end);
        }
        return out;
    }

    /** End of an inline link's destination: the ')' that balances, or the end of a {@code <...>}. */
    private static int destinationEnd(String line, int start) {
        if (start < line.length() && line.charAt(start) == '<') {
            int close = line.indexOf('>', start);
            return close < 0 ? start : close + 1;
        }
        int depth = 0;
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return start;   // no closing parenthesis: not a link
    }

    private static String stripAngles(String s) {
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            return s;
        }
    }

    /** {@code line} with its code spans emptied, so that no link is found inside code. */
    static String withoutCodeSpans(String line) {
        return CODE_SPAN.matcher(line).replaceAll("``");
    }

    /**
     * The file's lines with fenced code blocks emptied, so that neither links nor headings
     * are found inside code blocks. Line numbers are kept.
     */
    static List<String> outsideFences(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>(lines.size());
        String fence = null;
        for (String line : lines) {
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                out.add("");
            } else if (fence != null) {
                if (line.trim().startsWith(fence) && line.trim().replace(fence.substring(0, 1), "").isEmpty()) {
                    fence = null;
                }
                out.add("");
            } else {
                out.add(line);
            }
        }
        return out;
    }
}
