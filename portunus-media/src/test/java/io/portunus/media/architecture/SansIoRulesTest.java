package io.portunus.media.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * portunus-media is sans-IO (design.md, principle 1): it takes datagrams and the time as input
 * and returns datagrams, events and deadlines. No Netty, no sockets, no threads, no clock reads.
 */
class SansIoRulesTest {
    private static JavaClasses media;

    @BeforeAll
    static void importClasses() {
        media = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.portunus.media");
    }

    @Test
    void noNettyNoSocketsNoServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.nio.channels..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.portunus.core..", "io.portunus.events..",
                        "io.portunus.plugins..", "io.portunus.webrtc..", "io.portunus.net..")
                .check(media);
    }

    @Test
    void noThreads() {
        noClasses().should().callMethodWhere(call("java.lang.Thread", "ofVirtual", "ofPlatform", "startVirtualThread"))
                .orShould().callConstructorWhere(DescribedPredicate.describe("new Thread",
                        c -> c.getTargetOwner().getFullName().equals("java.lang.Thread")))
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
                .check(media);
    }

    /**
     * Time comes in as an argument. Named exceptions: the Bouncy Castle DTLS adapter
     * (QueueDatagramTransport), whose blocking API waits on a queue with real deadlines, and
     * DtlsSession.Options' default clock for callers that pass none; DtlsCertificate dates a
     * certificate it generates from now.
     */
    @Test
    void noClockReads() {
        noClasses().that().doNotHaveFullyQualifiedName("io.portunus.media.dtls.QueueDatagramTransport")
                .and().doNotHaveFullyQualifiedName("io.portunus.media.dtls.DtlsSession$Options")
                .and().doNotHaveFullyQualifiedName("io.portunus.media.dtls.DtlsCertificate")
                .should().callMethodWhere(call("java.lang.System", "nanoTime", "currentTimeMillis"))
                .orShould().callMethodWhere(call("java.time.Instant", "now"))
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .check(media);
    }

    private static DescribedPredicate<JavaMethodCall> call(String owner, String... names) {
        return DescribedPredicate.describe(owner + "." + String.join("/", names),
                c -> c.getTargetOwner().getFullName().equals(owner) && Arrays.asList(names).contains(c.getName()));
    }
}
