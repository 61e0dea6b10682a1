package io.portunus.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's layers, checked on its compiled classes (docs/architecture.md, "Layers"):
 * <pre>
 *   cli → transports, eventhandlers, plugins, admin, api → webrtc, events → core → media (module)
 *                                                        everything may use net, config, logging
 * </pre>
 * A broken rule fails the build with the offending class and line.
 */
class LayerRulesTest {
    private static JavaClasses server;

    @BeforeAll
    static void importClasses() {
        server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.portunus");
    }

    private static void check(ArchRule rule) {
        rule.check(server);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        check(slices().matching("io.portunus.(*)..").should().beFreeOfCycles());
    }

    /** core knows plugins, transports and handlers only through core/spi, media only through its data types. */
    @Test
    void coreImportsNoImplementationAboveOrBelowIt() {
        check(noClasses().that().resideInAPackage("io.portunus.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.portunus.webrtc..", "io.portunus.events..", "io.portunus.eventhandlers..",
                        "io.portunus.transports..", "io.portunus.plugins..", "io.portunus.api..",
                        "io.portunus.admin..", "io.portunus.cli..",
                        // the media protocols' machinery; core may use the SDP model (plugins' answers)
                        "io.portunus.media.ice..", "io.portunus.media.dtls..", "io.portunus.media.srtp..",
                        "io.portunus.media.rtp..", "io.portunus.media.rtcp.."));
    }

    /** The WebRTC adapter sits between core and media: nothing of the API, transports or plugins. */
    @Test
    void webRtcAdapterKnowsOnlyCoreAndMedia() {
        check(noClasses().that().resideInAPackage("io.portunus.webrtc..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.portunus.events..", "io.portunus.eventhandlers..", "io.portunus.transports..",
                        "io.portunus.plugins..", "io.portunus.api..", "io.portunus.admin..", "io.portunus.cli.."));
    }

    /** The event dispatcher knows the core's event model and the handler SPI, not who emits or delivers. */
    @Test
    void eventsKnowNoTransportPluginOrHandler() {
        check(noClasses().that().resideInAPackage("io.portunus.events..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.portunus.webrtc..", "io.portunus.eventhandlers..", "io.portunus.transports..",
                        "io.portunus.plugins..", "io.portunus.api..", "io.portunus.admin..", "io.portunus.cli.."));
    }

    /**
     * The dashboard reads the core, the event bus and the Admin API (whose requests it adds to);
     * it reaches browsers only through core/spi's OperatorRoutes, never a transport directly.
     */
    @Test
    void dashboardKnowsNoTransportPluginOrAdapter() {
        check(noClasses().that().resideInAPackage("io.portunus.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.portunus.webrtc..", "io.portunus.eventhandlers..", "io.portunus.transports..",
                        "io.portunus.plugins..", "io.portunus.cli.."));
    }

    /** Plugins see the core through core/spi and the media protocols, never the adapter or each other's hosts. */
    @Test
    void pluginsUseTheSpiNotTheServer() {
        check(noClasses().that().resideInAPackage("io.portunus.plugins..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.portunus.webrtc..", "io.portunus.events..", "io.portunus.eventhandlers..",
                        "io.portunus.transports..", "io.portunus.api..", "io.portunus.admin..", "io.portunus.cli.."));
    }

    /**
     * Threads and event loops are made in net/ only (net.Threads, net.EventLoops), so what runs
     * where is visible in one package. Libraries' own threads (Paho, RabbitMQ, junixsocket) are theirs.
     */
    @Test
    void onlyNetStartsThreads() {
        check(noClasses().that().resideOutsideOfPackage("io.portunus.net..")
                .should().callMethodWhere(target("java.lang.Thread", "ofVirtual", "ofPlatform", "startVirtualThread"))
                .orShould().callConstructorWhere(constructorOf("java.lang.Thread"))
                .orShould().callMethodWhere(target("java.util.concurrent.Executors", "newThreadPerTaskExecutor",
                        "newVirtualThreadPerTaskExecutor", "newFixedThreadPool", "newCachedThreadPool",
                        "newSingleThreadExecutor", "newSingleThreadScheduledExecutor", "newScheduledThreadPool"))
                .orShould().callConstructorWhere(constructorOfSubtypeOf("io.netty.channel.EventLoopGroup")));
    }

    /**
     * Netty sockets (bootstraps) are made in net/ only. Named exceptions, each a blocking client on a
     * thread of its own that owns nothing of the packet path: the GELF handler's UDP/TCP sockets,
     * the Admin API's one-shot test_stun probe, the Unix-socket transport (junixsocket), and the
     * HTTP/WebSocket event handlers' JDK HttpClient.
     */
    @Test
    void onlyNetMakesSockets() {
        check(noClasses().that().resideOutsideOfPackage("io.portunus.net..")
                .and().resideOutsideOfPackages("io.portunus.eventhandlers.gelf..", "io.portunus.transports.unix..")
                .and().doNotHaveFullyQualifiedName("io.portunus.admin.NetworkRequests")
                .should().callConstructorWhere(constructorOfSubtypeOf("io.netty.bootstrap.AbstractBootstrap"))
                .orShould().callConstructorWhere(constructorOf("java.net.Socket"))
                .orShould().callConstructorWhere(constructorOf("java.net.ServerSocket"))
                .orShould().callConstructorWhere(constructorOf("java.net.DatagramSocket"))
                .orShould().callMethodWhere(target("java.nio.channels.DatagramChannel", "open"))
                .orShould().callMethodWhere(target("java.nio.channels.SocketChannel", "open"))
                .orShould().callMethodWhere(target("java.nio.channels.ServerSocketChannel", "open")));
    }

    private static DescribedPredicate<JavaMethodCall> target(String owner, String... names) {
        return DescribedPredicate.describe(owner + "." + String.join("/", names), call ->
                call.getTargetOwner().getFullName().equals(owner)
                        && Arrays.asList(names).contains(call.getName()));
    }

    private static DescribedPredicate<JavaConstructorCall> constructorOf(String owner) {
        return DescribedPredicate.describe("new " + owner, call -> call.getTargetOwner().getFullName().equals(owner));
    }

    private static DescribedPredicate<JavaConstructorCall> constructorOfSubtypeOf(String type) {
        return DescribedPredicate.describe("new subtype of " + type,
                call -> call.getTargetOwner().isAssignableTo(type));
    }
}
