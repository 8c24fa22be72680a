package io.meshrpc.services;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The contracts are plain Java over meshrpc's API: a service in another stack, or a test, takes them without
 * Spring, JeroMQ or a broker client (the pom gives them meshrpc-api alone; this keeps the code so).
 */
@AnalyzeClasses(packages = "io.meshrpc.services", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractDependenciesTest {

    @ArchTest
    void contractsUseOnlyTheJdkAndMeshrpcsApi(JavaClasses classes) {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.meshrpc.api..", "io.meshrpc.services..")
                .check(classes);
    }
}
