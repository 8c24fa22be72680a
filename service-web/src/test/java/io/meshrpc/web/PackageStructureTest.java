package io.meshrpc.web;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The HTTP hardening's main classes, package by package: problems do not depend on the filters that refuse. */
@AnalyzeClasses(packages = "io.meshrpc.web", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    @ArchTest
    void packagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("io.meshrpc.web.(*)..").should().beFreeOfCycles().check(classes);
    }
}
