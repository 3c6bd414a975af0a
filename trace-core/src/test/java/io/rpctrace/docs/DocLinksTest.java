package io.rpctrace.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's docs are its contract and code cites them by path and anchor
 * ({@code docs/model.md#rule-4}), so every relative link in {@code docs/} and in every
 * {@code README.md} must resolve: the file exists and, for a Markdown file, so does the
 * anchor. External links are not checked (the build must not need the network).
 */
class DocLinksTest {

    @Test
    void everyRelativeLinkInTheDocsAndReadmesResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = documentation(root);
        assertTrue(files.contains(root.resolve("README.md")) && files.contains(root.resolve("docs/model.md")),
                "README.md and docs/ should be among the checked files: " + files);

        List<String> broken = new MarkdownLinks(root).broken(files);

        assertTrue(broken.isEmpty(), broken.size() + " broken links (file:line: target (reason)):\n"
                + String.join("\n", broken));
    }

    @Test
    void anchorsAreGitHubSlugsOfHeadings() {
        String[][] cases = {
            {"Record types (`x_name`)", "record-types-x_name"},
            {"`x_module`: the calling application method", "x_module-the-calling-application-method"},
            {"Kafka and gRPC with the agent attached", "kafka-and-grpc-with-the-agent-attached"},
            {"Interop: W3C Trace Context, B3 and Envoy", "interop-w3c-trace-context-b3-and-envoy"},
            {"Rule 4: child scopes (threads and local spans)", "rule-4-child-scopes-threads-and-local-spans"},
            {"Served requests → `request.info`", "served-requests--requestinfo"},
            {"See [the model](model.md) **now**", "see-the-model-now"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], MarkdownLinks.slug(c[0]), c[0]);
        }
    }

    @Test
    void brokenFilesAndAnchorsAreReportedAndNothingElse(@TempDir Path dir) throws IOException {
        write(dir.resolve("docs/model.md"),
                "# Model",
                "<a id=\"rule-1\"></a>",
                "### Rule 1: entering",
                "## Notes",
                "## Notes",
                "Setext heading",
                "--------------",
                "```",
                "## Not a heading in code",
                "[not a link in code](missing.md)",
                "```");
        write(dir.resolve("README.md"),
                "# Readme",
                "[ok](docs/model.md) [ok](docs/model.md#rule-1) [ok](docs/model.md#rule-1-entering)",
                "[ok](docs/model.md#notes) [ok](docs/model.md#notes-1) [ok](docs/model.md#setext-heading)",
                "[ok](#readme) [ok](docs/) [ok](https://example.com/missing.md#x) `[code](missing.md)`",
                "[gone](docs/missing.md) [no anchor](docs/model.md#rule-9)",
                "[no heading in code](docs/model.md#not-a-heading-in-code) [outside](../elsewhere.md)",
                "[ref]: docs/also-missing.md");

        List<String> broken = new MarkdownLinks(dir).broken(Arrays.asList(dir.resolve("README.md")));

        assertEquals(Arrays.asList(
                "README.md:5: docs/missing.md (no such file)",
                "README.md:5: docs/model.md#rule-9 (no anchor #rule-9 in model.md)",
                "README.md:6: docs/model.md#not-a-heading-in-code (no anchor #not-a-heading-in-code in model.md)",
                "README.md:6: ../elsewhere.md (points outside the repository)",
                "README.md:7: docs/also-missing.md (no such file)"),
                broken.stream().map(s -> s.replace('\\', '/')).collect(Collectors.toList()));
    }

    @Test
    void explicitAnchorsAndNumberedDuplicatesAreAnchors(@TempDir Path dir) throws IOException {
        Path md = dir.resolve("a.md");
        write(md, "## Headers", "<a id=\"interop\"></a>", "## Interop: W3C", "## Headers", "`<a id=\"in-code\"></a>`");

        Set<String> anchors = new MarkdownLinks(dir).anchorsOf(md);

        assertEquals(new LinkedHashSet<>(Arrays.asList("headers", "interop", "interop-w3c", "headers-1")), anchors);
    }

    /** docs/**&#47;*.md and every README.md outside build output. */
    private static List<Path> documentation(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(out::add);
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !skipped(root.relativize(p)))
                    .forEach(out::add);
        }
        Collections.sort(out);
        return out;
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String s = part.toString();
            if (s.equals("target") || s.equals("node_modules") || s.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The repository root: the parent of this module (surefire runs tests in the module's directory). */
    private static Path repositoryRoot() {
        Path module = Paths.get("").toAbsolutePath();
        Path root = module.getParent();
        assertTrue(root != null && Files.isDirectory(root.resolve("docs")) && Files.isRegularFile(root.resolve("README.md")),
                "expected the repository root (with docs/ and README.md) above " + module);
        return root;
    }

    private static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Arrays.asList(lines), StandardCharsets.UTF_8);
    }
}
