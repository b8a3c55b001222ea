package dev.creditline.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inwards: kernel → store → ledger → api. core/api and core/ledger are JPMS modules (their
 * module-info enforces it at compile time); core/store and core/kernel run on the class path, so this test checks them
 * and checks that the domain stays free of I/O.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.creditline");
    }

    @Test
    void theApiDependsOnNothingOfTheKernel() {
        noClasses().that().resideInAPackage("dev.creditline.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.creditline.ledger..",
                        "dev.creditline.store..", "dev.creditline.kernel..", "dagger..", "org.flywaydb..")
                .check(classes);
    }

    @Test
    void theLedgerIsPureDomain() {
        noClasses().that().resideInAPackage("dev.creditline.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.creditline.store..",
                        "dev.creditline.kernel..", "io.vertx..", "java.sql..", "org.flywaydb..", "dagger..",
                        "java.net..", "java.io..")
                .check(classes);
    }

    @Test
    void theStoreDoesNotReachIntoTheKernel() {
        // Dagger generates the store's factories into the store's packages, inside the kernel module.
        noClasses().that().resideInAPackage("dev.creditline.store..").and().haveSimpleNameNotEndingWith("_Factory")
                .should().dependOnClassesThat().resideInAnyPackage("dev.creditline.kernel..", "io.vertx.ext.web..",
                        "dagger..")
                .check(classes);
    }

    @Test
    void injectionIsJakartas() {
        // javax.inject is on the class path only because Dagger's runtime needs it; what Dagger generates may use it.
        noClasses().that().haveSimpleNameNotEndingWith("_Factory")
                .and().haveSimpleNameNotEndingWith("_MembersInjector").and().haveSimpleNameNotStartingWith("Dagger")
                .should().dependOnClassesThat().resideInAPackage("javax.inject..")
                .check(classes);
    }

    @Test
    void onlyTheHttpLayerKnowsHttp() {
        noClasses().that().resideInAnyPackage("dev.creditline.kernel.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..")
                .check(classes);
    }
}
