package io.gemba.sim.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Period;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The simulated server's certificate (generated once into {@code own/simulator.pfx} and kept, so a
 * client that trusted it keeps trusting it across restarts) and its file-based trust lists.
 */
final class ServerPki implements AutoCloseable {

  /** Protects a simulator's own key store; a simulator holds no secrets worth more. */
  private static final char[] STORE_PASSWORD = "gemba-simulator".toCharArray();

  private static final String ALIAS = "simulator";

  static {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  final KeyPair keyPair;
  final X509Certificate certificate;
  final FileBasedTrustListManager trustList;
  final CertificateManager certificateManager;

  private ServerPki(
      KeyPair keyPair,
      X509Certificate certificate,
      FileBasedTrustListManager trustList,
      CertificateManager certificateManager) {
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.trustList = trustList;
    this.certificateManager = certificateManager;
  }

  static ServerPki open(Path dir, String applicationUri, String hostName) throws Exception {
    Path store = dir.resolve("own/simulator.pfx");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    KeyPair keyPair;
    X509Certificate certificate;
    if (Files.exists(store)) {
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, STORE_PASSWORD);
      }
      certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
      keyPair =
          new KeyPair(
              certificate.getPublicKey(), (PrivateKey) keyStore.getKey(ALIAS, STORE_PASSWORD));
    } else {
      keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      SelfSignedCertificateBuilder builder =
          new SelfSignedCertificateBuilder(keyPair)
              .setValidityPeriod(Period.ofYears(5))
              .setCommonName("Gemba machine simulator")
              .setOrganization("Gemba")
              // Milo's builder fills these with "" by default, which Bouncy Castle 1.87 refuses
              // for the country; null leaves them out of the subject.
              .setOrganizationalUnit(null)
              .setLocalityName(null)
              .setStateName(null)
              .setCountryCode(null)
              .setApplicationUri(applicationUri)
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1");
      if (Character.isDigit(hostName.charAt(0))) {
        builder.addIpAddress(hostName);
      } else {
        builder.addDnsName(hostName);
      }
      certificate = builder.build();
      keyStore.load(null, STORE_PASSWORD);
      keyStore.setKeyEntry(
          ALIAS, keyPair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {certificate});
      Files.createDirectories(store.getParent());
      try (OutputStream out = Files.newOutputStream(store)) {
        keyStore.store(out, STORE_PASSWORD);
      }
      Files.write(dir.resolve("own/simulator.der"), certificate.getEncoded());
    }
    FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(dir);
    var quarantine = FileBasedCertificateQuarantine.create(dir.resolve("rejected"));
    KeyPair pair = keyPair;
    X509Certificate cert = certificate;
    var factory =
        new RsaSha256CertificateFactory() {
          @Override
          protected KeyPair createRsaSha256KeyPair() {
            return pair;
          }

          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
            return new X509Certificate[] {cert};
          }
        };
    var group =
        DefaultApplicationGroup.createAndInitialize(
            trustList,
            new MemoryCertificateStore(),
            factory,
            new DefaultServerCertificateValidator(trustList, quarantine));
    return new ServerPki(
        keyPair, certificate, trustList, new DefaultCertificateManager(quarantine, group));
  }

  /** The server's certificate file, DER: what a client adds to its trusted certificates. */
  static Path certificateFile(Path dir) {
    return dir.resolve("own/simulator.der");
  }

  boolean trusts(X509Certificate userCertificate) {
    return trustList.getTrustedCertificates().contains(userCertificate);
  }

  @Override
  public void close() throws IOException {
    trustList.close();
  }
}
