package com.example.firstvisit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java that docs/plugins.md shows of this example (and of the stripe plugin's declared settings) is compiled
 * source, line for line and in order (the guide may leave lines out): a guide whose code no longer compiles is
 * caught here, since the build compiles no Markdown.
 */
class DocumentedExampleTest {
    private static final Path DOCS = Path.of("../../../docs/plugins.md");
    private static final List<Path> SOURCES = List.of(
            Path.of("src/main/java/com/example/firstvisit/FirstVisitPlugin.java"),
            Path.of("src/main/java/com/example/firstvisit/FirstVisitPolicy.java"),
            Path.of("src/main/java/com/example/firstvisit/FirstVisitComponent.java"),
            Path.of("src/test/java/com/example/firstvisit/FirstVisitPolicyTest.java"),
            Path.of("../../stripe/src/main/java/dev/creditline/plugins/stripe/StripeSettings.java"));

    /** The lines that are code: no blank lines, imports, package lines or comments. */
    private static List<String> code(String text) {
        List<String> out = new ArrayList<>();
        boolean inComment = false;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (inComment) {
                inComment = !trimmed.endsWith("*/");
                continue;
            }
            if (trimmed.startsWith("/*")) {
                inComment = !trimmed.endsWith("*/");
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("import ")
                    || trimmed.startsWith("package ")) {
                continue;
            }
            out.add(trimmed);
        }
        return out;
    }

    /** Whether every line shown is in the source, in the same order (the guide may leave methods out). */
    private static boolean inOrder(List<String> source, List<String> shown) {
        int at = 0;
        for (String line : shown) {
            while (at < source.size() && !source.get(at).equals(line)) {
                at++;
            }
            if (at == source.size()) {
                return false;
            }
            at++;
        }
        return true;
    }

    @Test
    void theGuidesJavaOfThisExampleIsItsSource() throws IOException {
        List<List<String>> sources = new ArrayList<>();
        for (Path source : SOURCES) {
            sources.add(code(Files.readString(source)));
        }
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOCS));
        int checked = 0;
        while (block.find()) {
            String shownJava = block.group(1);
            if (!shownJava.contains("FirstVisit") && !shownJava.contains("PluginSetting.")) {
                continue;
            }
            if (shownJava.contains("class FirstVisitPolicyIT")) {
                continue;   // the distribution's, with a PluginServers of its own
            }
            List<String> shown = code(shownJava);
            assertThat(sources).as("a source holding the guide's\n" + shownJava)
                    .anyMatch(source -> inOrder(source, shown));
            checked++;
        }
        assertThat(checked).as("blocks checked").isGreaterThanOrEqualTo(5);
    }
}
