package io.gemba.edge.southbound.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPkiTest {

  private static final String SERVER_URI = "urn:plant:cnc-07";
  private static KeyPair serverKeys;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws Exception {
    serverKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
  }

  private static X509Certificate serverCertificate(Instant notBefore, Instant notAfter)
      throws Exception {
    return new SelfSignedCertificateGenerator()
        .generateSelfSigned(
            serverKeys,
            Date.from(notBefore),
            Date.from(notAfter),
            "cnc-07",
            "Plant",
            null,
            null,
            null,
            null,
            SERVER_URI,
            List.of("cnc-07.plant.local"),
            List.of("10.1.2.3"),
            "SHA256withRSA");
  }

  private static X509Certificate validServerCertificate() throws Exception {
    Instant now = Instant.now();
    return serverCertificate(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
  }

  private static UaException refused(ClientPki pki, X509Certificate cert, String uri, String host) {
    return catchThrowableOfType(
        UaException.class,
        () -> pki.validator().validateCertificateChain(List.of(cert), uri, new String[] {host}));
  }

  private static void trust(ClientPki pki, X509Certificate cert, String name) throws Exception {
    Files.write(pki.trustedDir().resolve(name), cert.getEncoded());
  }

  @Test
  void certificateIsGeneratedOnceAndKept_keyReadableByOwnerOnly() throws Exception {
    X509Certificate first;
    try (ClientPki pki = ClientPki.open(dir, "urn:gemba:edge-agent:gw-1", "gw-1")) {
      first = pki.certificate();
      assertThat(first.getSubjectAlternativeNames().toString())
          .contains("urn:gemba:edge-agent:gw-1");
    }
    try (ClientPki again = ClientPki.open(dir, "urn:gemba:edge-agent:gw-1", "gw-1")) {
      assertThat(again.certificate()).isEqualTo(first);
      assertThat(again.keyPair().getPublic()).isEqualTo(first.getPublicKey());
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("own/private/edge-agent.key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void untrustedCertificate_isQuarantinedAndAcceptedOnceMovedToTrusted() throws Exception {
    X509Certificate server = validServerCertificate();
    try (ClientPki pki = ClientPki.open(dir, "urn:gemba:edge-agent:gw-1", "gw-1")) {
      UaException e = refused(pki, server, SERVER_URI, "10.1.2.3");

      assertThat(e.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_CertificateUntrusted);
      assertThat(ConnectFailures.explain(e, pki, OpcUaSecurity.DEFAULT))
          .contains("not trusted", "CN=cnc-07", pki.rejectedDir().toString());
      Path rejected;
      try (Stream<Path> files = Files.list(pki.rejectedDir())) {
        rejected = files.findFirst().orElseThrow();
      }
      Files.move(rejected, pki.trustedDir().resolve(rejected.getFileName()));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  pki.validator()
                      .validateCertificateChain(
                          List.of(server), SERVER_URI, new String[] {"10.1.2.3"}));
    }
  }

  @Test
  void trustedCertificate_isStillCheckedForHostUriAndValidity() throws Exception {
    X509Certificate server = validServerCertificate();
    Instant now = Instant.now();
    X509Certificate expired =
        serverCertificate(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
    try (ClientPki pki = ClientPki.open(dir, "urn:gemba:edge-agent:gw-1", "gw-1")) {
      trust(pki, server, "server.der");
      trust(pki, expired, "expired.der");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  pki.validator()
                      .validateCertificateChain(
                          List.of(server), SERVER_URI, new String[] {"cnc-07.plant.local"}));

      assertThat(refused(pki, server, SERVER_URI, "10.9.9.9").getStatusCode().getValue())
          .isEqualTo(StatusCodes.Bad_CertificateHostNameInvalid);
      assertThat(refused(pki, server, "urn:plant:other", "10.1.2.3").getStatusCode().getValue())
          .isEqualTo(StatusCodes.Bad_CertificateUriInvalid);
      UaException old = refused(pki, expired, SERVER_URI, "10.1.2.3");
      assertThat(old.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_CertificateTimeInvalid);
      assertThat(ConnectFailures.explain(old, pki, OpcUaSecurity.DEFAULT))
          .contains("validity period");
    }
  }
}
