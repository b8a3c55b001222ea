package dev.creditline.distribution;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Plugins depend on core/api only: their classes use nothing of the ledger, store or kernel, and their jars bundle
 * none of the classes the kernel provides (a second copy would be a different class to PF4J).
 */
class PluginArchitectureIT {

    private static List<JarFile> jars() throws IOException {
        List<JarFile> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(PluginServers.PLUGINS)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                jars.add(new JarFile(jar.toFile()));
            }
        }
        assertThat(jars).hasSizeGreaterThanOrEqualTo(4);
        return jars;
    }

    @Test
    void pluginsUseNothingOfTheKernelButItsApi() throws IOException {
        // The plugins' own classes: the libraries a plugin bundles (stripe-java, relocated Gson) are not its code.
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/com/stripe/") && !location.contains("/shaded/"))
                .importJars(jars());

        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.creditline.ledger..",
                        "dev.creditline.store..", "dev.creditline.kernel..", "dev.creditline.testkit..",
                        "org.flywaydb..")
                .check(classes);
    }

    @Test
    void pluginJarsBundleNoneOfWhatTheKernelProvides() throws IOException {
        for (JarFile jar : jars()) {
            List<String> bundled = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class"))
                    .filter(name -> Stream.of("dev/creditline/api/", "io/vertx/", "dagger/", "org/pf4j/",
                            "jakarta/inject/", "javax/inject/", "io/micrometer/", "org/slf4j/").anyMatch(name::startsWith))
                    .toList();
            assertThat(bundled).as(jar.getName()).isEmpty();
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).as(jar.getName()).isNotBlank();
        }
    }
}
