package io.meshrpc.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The gateway's main classes, package by package: the mesh adapter (rpc) depends on the servers, never the reverse. */
@AnalyzeClasses(packages = "io.meshrpc.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    @ArchTest
    void packagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("io.meshrpc.gateway.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** {@code servers} owns the {@code Cloud} port; the mesh adapter implements it, never the reverse. */
    @ArchTest
    void serversDoNotDependOnTheMeshAdapter(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.meshrpc.gateway.servers..")
                .should().dependOnClassesThat().resideInAPackage("io.meshrpc.gateway.rpc..")
                .check(classes);
    }
}
