package io.gemba.edge.southbound.opcua;

import io.gemba.connect.Pem;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.validation.CertificateValidationUtil;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's OPC UA identity and trust store, one per agent, in a directory an operator can
 * manage with file tools:
 *
 * <pre>
 * pki/own/certs/edge-agent.der          the agent's application certificate (give it to servers)
 * pki/own/private/edge-agent.key.pem    its private key (mode 600)
 * pki/trusted/certs, pki/trusted/crl    server certificates (or their CAs) the agent trusts
 * pki/issuer/certs, pki/issuer/crl      intermediate CAs used to build chains, not trusted alone
 * pki/rejected                          server certificates that were refused, to inspect and move
 * </pre>
 *
 * <p>The certificate and key are generated on first start and kept. The trust lists are watched:
 * moving a certificate from {@code rejected} to {@code trusted/certs} takes effect at the next
 * connection attempt, without a restart.
 *
 * <p>Server certificates are validated completely: chain to a trusted certificate, validity period,
 * key usage, revocation when CRLs are present, the server's application URI and the host name of
 * the endpoint.
 */
public final class ClientPki implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(ClientPki.class);
  private static final Period VALIDITY = Period.ofYears(5);
  private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  /** Every check except CRLs for every CA, which self-signed server certificates cannot have. */
  static final Set<ValidationCheck> CHECKS =
      Collections.unmodifiableSet(
          EnumSet.of(
              ValidationCheck.HOSTNAME,
              ValidationCheck.VALIDITY,
              ValidationCheck.KEY_USAGE_END_ENTITY,
              ValidationCheck.EXTENDED_KEY_USAGE_END_ENTITY,
              ValidationCheck.REVOCATION,
              ValidationCheck.APPLICATION_URI));

  static {
    // The RSA-PSS signatures of Aes256_Sha256_RsaPss come from Bouncy Castle.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private final Path dir;
  private final String applicationUri;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final FileBasedTrustListManager trustList;
  private final CertificateValidator validator;

  private ClientPki(
      Path dir,
      String applicationUri,
      KeyPair keyPair,
      X509Certificate certificate,
      FileBasedTrustListManager trustList) {
    this.dir = dir;
    this.applicationUri = applicationUri;
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.trustList = trustList;
    try {
      CertificateValidator milo =
          new DefaultClientCertificateValidator(
              trustList, CHECKS, FileBasedCertificateQuarantine.create(rejectedDir()));
      this.validator = (chain, uri, hosts) -> validate(milo, chain, uri, hosts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + rejectedDir(), e);
    }
  }

  /**
   * Milo's validation, with failures that name the certificate; a chain that leads to no trusted
   * certificate is reported as untrusted whatever the trust list's state (an empty list fails
   * differently inside the JDK).
   */
  private void validate(
      CertificateValidator milo, List<X509Certificate> chain, String uri, String[] hosts)
      throws UaException {
    try {
      milo.validateCertificateChain(chain, uri, hosts);
    } catch (UaException e) {
      String subject = chain.isEmpty() ? "?" : chain.get(0).getSubjectX500Principal().getName();
      // Not chained: the connect failure then carries this sentence, not the JDK's.
      log.debug("server certificate validation failed subject={}", subject, e);
      if (!isTrusted(chain)) {
        throw new UaException(
            StatusCodes.Bad_CertificateUntrusted,
            "server certificate '" + subject + "' is not trusted");
      }
      throw new UaException(
          e.getStatusCode(), "server certificate '" + subject + "' refused: " + e.getMessage());
    }
  }

  private boolean isTrusted(List<X509Certificate> chain) {
    try {
      CertificateValidationUtil.buildTrustedCertPath(
          chain, trustList.getTrustedCertificates(), trustList.getIssuerCertificates());
      return true;
    } catch (UaException e) {
      return false;
    }
  }

  /**
   * Opens the PKI directory, creating its folders and the agent's certificate on first use.
   *
   * @throws UncheckedIOException naming the file that cannot be read or written
   */
  public static ClientPki open(Path dir, String applicationUri, String gatewayId) {
    try {
      Path certFile = dir.resolve("own/certs/edge-agent.der");
      Path keyFile = dir.resolve("own/private/edge-agent.key.pem");
      KeyPair keyPair;
      X509Certificate certificate;
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        certificate = Pem.readCertificates(certFile).get(0);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        keyPair = new KeyPair(certificate.getPublicKey(), key);
        warnIfExpiring(certificate, certFile);
      } else {
        keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        certificate = generate(keyPair, applicationUri, gatewayId);
        writeKey(keyFile, keyPair.getPrivate());
        writeAtomically(certFile, certificate.getEncoded());
        log.info(
            "opcua application certificate created file={} applicationUri={}; add it to the"
                + " trusted certificates of every secured server",
            certFile.toAbsolutePath(),
            applicationUri);
      }
      FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(dir);
      return new ClientPki(dir, applicationUri, keyPair, certificate, trustList);
    } catch (IOException e) {
      throw new UncheckedIOException("OPC UA PKI directory " + dir + ": " + e.getMessage(), e);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the generated certificate", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the OPC UA application certificate", e);
    }
  }

  private static X509Certificate generate(KeyPair keyPair, String applicationUri, String gatewayId)
      throws Exception {
    SelfSignedCertificateBuilder builder =
        new SelfSignedCertificateBuilder(keyPair)
            .setValidityPeriod(VALIDITY)
            .setCommonName("Gemba edge agent " + gatewayId)
            .setOrganization("Gemba")
            // Milo's builder fills these with "" by default, which Bouncy Castle 1.87 refuses
            // for the country; null leaves them out of the subject.
            .setOrganizationalUnit(null)
            .setLocalityName(null)
            .setStateName(null)
            .setCountryCode(null)
            .setApplicationUri(applicationUri);
    for (String name : localNames()) {
      if (Character.isDigit(name.charAt(0)) || name.contains(":")) {
        builder.addIpAddress(name);
      } else {
        builder.addDnsName(name);
      }
    }
    return builder.build();
  }

  /** Host names and addresses of this gateway, for the certificate's subject alternative names. */
  private static Set<String> localNames() {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    names.add("127.0.0.1");
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      log.debug("no local host name for the certificate reason={}", e.getMessage());
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLinkLocalAddress()) {
            String host = address.getHostAddress();
            int zone = host.indexOf('%');
            names.add(zone < 0 ? host : host.substring(0, zone));
          }
        }
      }
    } catch (SocketException e) {
      log.debug("no network interfaces for the certificate reason={}", e.getMessage());
    }
    return names;
  }

  private static void warnIfExpiring(X509Certificate certificate, Path file) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (Instant.now().plus(EXPIRY_WARNING).isAfter(notAfter)) {
      log.warn(
          "opcua application certificate expires soon or has expired file={} notAfter={}; delete"
              + " it and its key to generate a new one, then trust the new one on the servers",
          file.toAbsolutePath(),
          notAfter);
    }
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, Pem.privateKey(key), StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  public Path dir() {
    return dir;
  }

  /** The agent's certificate file, DER: what a server administrator adds to the trust list. */
  public Path certificateFile() {
    return dir.resolve("own/certs/edge-agent.der");
  }

  /** Where refused server certificates are put. */
  public Path rejectedDir() {
    return dir.resolve("rejected");
  }

  /** Where certificates of trusted servers go. */
  public Path trustedDir() {
    return dir.resolve("trusted/certs");
  }

  public String applicationUri() {
    return applicationUri;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public CertificateValidator validator() {
    return validator;
  }

  @Override
  public void close() {
    try {
      trustList.close();
    } catch (IOException e) {
      log.debug("trust list watcher did not stop cleanly reason={}", e.getMessage());
    }
  }
}
