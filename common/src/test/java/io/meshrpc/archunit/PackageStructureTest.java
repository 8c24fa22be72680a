package io.meshrpc.archunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;

/**
 * The library's main classes, package by package.
 *
 * <p>The public API ({@code io.meshrpc.api}) is a module of its own, {@code api/}, which depends on no other
 * meshrpc module, so the compiler keeps it separate.
 *
 * <p>Imported from this module's own output only: {@code io.meshrpc} is shared with the modules
 * common depends on (matchmaker-api's {@code io.meshrpc.matchmaker.protocol}), and their classes
 * would be folded into common's slices.
 */
@AnalyzeClasses(locations = PackageStructureTest.MainClasses.class,
        importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    /** Every package on its own: the transport SPI ({@code io.meshrpc.transport}) sits below its implementations. */
    @ArchTest
    void packagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("io.meshrpc.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The router knows transports through the SPI only, so the in-process transport can stand in for both. */
    @ArchTest
    void routingImportsNoConcreteTransport(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.meshrpc.internal.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.meshrpc.transport.zmq..",
                        "io.meshrpc.transport.amqp..", "io.meshrpc.transport.inprocess..", "org.zeromq..", "zmq..",
                        "org.springframework.amqp..", "com.rabbitmq..")
                .check(classes);
    }

    /** The SPI is the bottom of the transports: it names none of them. */
    @ArchTest
    void theTransportSpiImportsNoImplementation(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.meshrpc.transport")
                .should().dependOnClassesThat().resideInAnyPackage("io.meshrpc.transport.zmq..",
                        "io.meshrpc.transport.amqp..", "io.meshrpc.transport.inprocess..")
                .check(classes);
    }

    /** Requests and replies arrive apart: the client never reaches into the server side, nor the server into the client. */
    @ArchTest
    void clientAndServerDoNotDependOnEachOther(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.meshrpc.internal.client..")
                .should().dependOnClassesThat().resideInAPackage("io.meshrpc.internal.server..").check(classes);
        noClasses().that().resideInAPackage("io.meshrpc.internal.server..")
                .should().dependOnClassesThat().resideInAPackage("io.meshrpc.internal.client..").check(classes);
    }

    /** Maven compiles main classes to {@code target/classes}, next to this test's {@code target/test-classes}. */
    static final class MainClasses implements LocationProvider {
        @Override
        public Set<Location> get(Class<?> testClass) {
            try {
                Path testClasses = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
                return Set.of(Location.of(testClasses.resolveSibling("classes")));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
