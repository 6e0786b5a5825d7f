package io.gemba.services.plant;

import io.gemba.connect.Pem;
import io.gemba.connect.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for a site without one of its own, and for the demo: a CA
 * certificate and key in a directory (the key readable by its owner only), and server certificates
 * it signs for the broker and InfluxDB, with the host names and addresses clients verify.
 */
public final class CertificateAuthority {

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(825);

  private final Path dir;
  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
  }

  /** The CA in {@code dir} ({@code ca.crt}, {@code ca.key}), created when it is not there yet. */
  public static CertificateAuthority openOrCreate(Path dir, String name) {
    Path certFile = dir.resolve("ca.crt");
    Path keyFile = dir.resolve("ca.key");
    try {
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        return new CertificateAuthority(
            dir, Pem.readCertificates(certFile).get(0), Pem.readPrivateKey(keyFile));
      }
      KeyPair keys = rsa();
      X500Name subject = new X500Name("CN=" + name + ",O=Gemba");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(CA_VALIDITY)),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate ca = sign(builder, keys.getPrivate());
      SecretFile.writeOwnerOnly(
          keyFile, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      Files.writeString(certFile, Pem.certificate(ca));
      return new CertificateAuthority(dir, ca, keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the CA in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the CA in " + dir + ": " + e, e);
    }
  }

  /** The CA certificate, PEM: what every client trusts. */
  public Path certificateFile() {
    return dir.resolve("ca.crt");
  }

  /**
   * A server certificate for {@code hosts} (DNS names or IP addresses), signed by this CA, in
   * {@code <name>.crt} and {@code <name>.key} (owner-only) of {@code target}; kept when it exists
   * and still names the same hosts.
   *
   * @return the certificate file; the key is beside it
   */
  public Path issueServer(Path target, String name, List<String> hosts) {
    Path certFile = target.resolve(name + ".crt");
    Path keyFile = target.resolve(name + ".key");
    try {
      if (Files.exists(certFile) && Files.exists(keyFile) && names(certFile).equals(hosts)) {
        return certFile;
      }
      KeyPair keys = rsa();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(SERVER_VALIDITY)),
              new X500Name("CN=" + hosts.get(0) + ",O=Gemba"),
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate server = sign(builder, key);
      SecretFile.createOwnerOnlyDirectories(target);
      SecretFile.writeOwnerOnly(
          keyFile, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      Files.writeString(certFile, Pem.certificate(server));
      return certFile;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + certFile, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue " + certFile + ": " + e, e);
    }
  }

  private static List<String> names(Path certFile) throws IOException, GeneralSecurityException {
    List<String> out = new ArrayList<>();
    var alternatives = Pem.readCertificates(certFile).get(0).getSubjectAlternativeNames();
    if (alternatives != null) {
      for (List<?> entry : alternatives) {
        out.add(String.valueOf(entry.get(1)));
      }
    }
    return out;
  }

  private static GeneralNames alternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      boolean ip = host.matches("[0-9.]+") || host.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signing = new JcaContentSignerBuilder("SHA256withRSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signing));
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }
}
