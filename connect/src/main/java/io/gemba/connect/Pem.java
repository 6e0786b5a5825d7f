package io.gemba.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads and writes the certificate and key files a gateway handles (OPC UA, MQTT over TLS). */
public final class Pem {

  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  private Pem() {}

  /** Writes an unencrypted PKCS#8 private key as PEM. */
  public static String privateKey(PrivateKey key) {
    return BEGIN_KEY
        + "\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n"
        + END_KEY
        + "\n";
  }

  /** Writes a certificate as PEM. */
  public static String certificate(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an unencrypted PKCS#8 PEM private key (RSA).
   *
   * @throws IOException naming the file and what was expected
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = text.indexOf(BEGIN_KEY);
    int end = text.indexOf(END_KEY);
    if (begin < 0 || end < begin) {
      throw new IOException(
          file
              + ": expected an unencrypted PKCS#8 PEM key ("
              + BEGIN_KEY
              + "); convert others with 'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end).strip());
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not an RSA private key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the certificates of a DER or PEM file, leaf first.
   *
   * @throws IOException naming the file when it holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IOException(file + ": expected an X.509 certificate (DER or PEM), found none");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IOException(
          file + ": expected an X.509 certificate (DER or PEM): " + e.getMessage(), e);
    }
  }
}
