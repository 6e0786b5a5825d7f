package io.gemba.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS sockets for MQTT connections from {@link TlsFiles}: the configured CA (or the JVM's trust
 * store), an optional client certificate, and TCP_NODELAY on every socket for the same reason as on
 * plain connections (small QoS 1 packets must not wait for delayed ACKs).
 */
public final class TlsSockets extends SSLSocketFactory {

  private final SSLSocketFactory delegate;

  private TlsSockets(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  /**
   * Builds the socket factory.
   *
   * @param field the configuration field or option, for messages ({@code uplink.tls})
   * @throws UncheckedIOException naming the file that cannot be used
   */
  public static TlsSockets of(String field, TlsFiles tls) {
    return new TlsSockets(context(field, tls).context().getSocketFactory());
  }

  /** An SSL context and the trust manager inside it (HTTP clients ask for both). */
  public record Context(SSLContext context, X509TrustManager trustManager) {}

  /**
   * The SSL context of {@code tls}: its CA file (or the JVM's trust store) as the only trust, its
   * client certificate when it has one.
   *
   * @throws UncheckedIOException naming the file that cannot be used
   */
  public static Context context(String field, TlsFiles tls) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (tls.caFile() != null) {
        KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
        cas.load(null, null);
        List<X509Certificate> certificates = Pem.readCertificates(tls.caFile());
        for (int i = 0; i < certificates.size(); i++) {
          cas.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        trust.init(cas);
      } else {
        trust.init((KeyStore) null);
      }
      KeyManagerFactory keys = null;
      if (tls.certFile() != null) {
        char[] none = new char[0];
        KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
        own.load(null, null);
        own.setKeyEntry(
            "client",
            Pem.readPrivateKey(tls.keyFile()),
            none,
            Pem.readCertificates(tls.certFile()).toArray(X509Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, none);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      X509TrustManager trustManager = null;
      for (TrustManager manager : trust.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          trustManager = x509;
        }
      }
      return new Context(context, trustManager);
    } catch (IOException e) {
      throw new UncheckedIOException(field + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(field + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static Socket noDelay(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    return noDelay(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return noDelay(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(delegate.createSocket(address, port, localAddress, localPort));
  }
}
