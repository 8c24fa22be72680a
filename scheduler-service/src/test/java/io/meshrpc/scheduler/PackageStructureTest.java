package io.meshrpc.scheduler;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The scheduler's main classes, package by package. */
@AnalyzeClasses(packages = "io.meshrpc.scheduler", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    @ArchTest
    void packagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("io.meshrpc.scheduler.(*)..").should().beFreeOfCycles().check(classes);
    }
}
