package io.gemba.edge.southbound.opcua;

import io.gemba.connect.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Creates OPC UA clients the way a gateway connects: the server endpoint with exactly the
 * configured policy, mode and user token kind; the gateway's certificate and trust lists; the
 * configured host kept in the endpoint URL when {@code endpointRewrite} is on.
 */
public final class OpcUaConnector {

  private final String endpoint;
  private final OpcUaSecurity security;
  private final boolean endpointRewrite;
  private final ClientPki pki;
  private final SecurityPolicy policy;
  private final MessageSecurityMode mode;

  /**
   * @param pki the gateway's certificate and trust lists; may be null only for policy None
   */
  public OpcUaConnector(
      String endpoint, OpcUaSecurity security, boolean endpointRewrite, ClientPki pki) {
    this.endpoint = endpoint;
    this.security = security;
    this.endpointRewrite = endpointRewrite;
    this.pki = pki;
    this.policy = SecurityPolicy.valueOf(security.policy());
    this.mode = MessageSecurityMode.valueOf(security.mode());
    if (pki == null && policy != SecurityPolicy.None) {
      throw new IllegalArgumentException("a secured connection needs the gateway's PKI");
    }
  }

  /**
   * Discovers the server's endpoints and creates a client for the matching one; not connected yet.
   *
   * @throws UaException when discovery fails
   * @throws IllegalStateException when no endpoint matches, listing what the server offers
   */
  public OpcUaClient create() throws UaException {
    return OpcUaClient.create(endpoint, this::selectEndpoint, transport -> {}, this::configure);
  }

  /** A sentence for a failed connection that says what to do about it. */
  public String explain(Throwable failure) {
    return ConnectFailures.explain(failure, pki, security);
  }

  public SecurityPolicy policy() {
    return policy;
  }

  public MessageSecurityMode mode() {
    return mode;
  }

  /** The user the session is opened as, for logs. */
  public String user() {
    UserIdentity user = security.user();
    if (user == null) {
      return "anonymous";
    }
    return user.isUsername() ? user.username() : "certificate " + user.certificateFile();
  }

  private void configure(OpcUaClientConfigBuilder config) {
    config
        .setApplicationName(LocalizedText.english("Gemba edge agent"))
        .setProductUri("urn:gemba:edge-agent");
    if (pki != null) {
      config
          .setApplicationUri(pki.applicationUri())
          .setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new X509Certificate[] {pki.certificate()})
          .setCertificateValidator(pki.validator());
    }
    config.setIdentityProvider(identityProvider());
  }

  /** Reads secrets at every connection attempt, so a rotated password needs no restart. */
  private IdentityProvider identityProvider() {
    UserIdentity user = security.user();
    if (user == null) {
      return AnonymousProvider.INSTANCE;
    }
    try {
      if (user.isUsername()) {
        String password = Files.readString(user.passwordFile(), StandardCharsets.UTF_8).strip();
        return new UsernameProvider(user.username(), password);
      }
      List<X509Certificate> chain = Pem.readCertificates(user.certificateFile());
      return new X509IdentityProvider(chain, Pem.readPrivateKey(user.privateKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Picks the endpoint with the configured policy and mode that accepts the configured kind of user
   * token. With {@code endpointRewrite} on, its URL keeps the configured host and port: servers
   * often advertise a host name that only resolves on their own network.
   */
  private Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
    UserTokenType tokenType = tokenType();
    Optional<EndpointDescription> match =
        endpoints.stream()
            .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()))
            .filter(e -> e.getSecurityMode() == mode)
            .filter(e -> acceptsToken(e, tokenType))
            .findFirst();
    if (match.isEmpty()) {
      throw new IllegalStateException(
          "the server offers no endpoint with policy "
              + policy
              + ", mode "
              + mode
              + " and a "
              + tokenType
              + " user token; it offers "
              + describe(endpoints));
    }
    if (!endpointRewrite) {
      return match;
    }
    String host = EndpointUtil.getHost(endpoint);
    int port = EndpointUtil.getPort(endpoint);
    return match.map(e -> EndpointUtil.updateUrl(e, host, port));
  }

  private UserTokenType tokenType() {
    UserIdentity user = security.user();
    if (user == null) {
      return UserTokenType.Anonymous;
    }
    return user.isUsername() ? UserTokenType.UserName : UserTokenType.Certificate;
  }

  private static boolean acceptsToken(EndpointDescription endpoint, UserTokenType type) {
    UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
    return policies != null && Arrays.stream(policies).anyMatch(p -> p.getTokenType() == type);
  }

  /** The server's endpoints as "policy/mode [tokens]", for a message the operator can act on. */
  static String describe(List<EndpointDescription> endpoints) {
    return endpoints.stream()
        .map(
            e ->
                SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                        .map(Enum::name)
                        .orElse(e.getSecurityPolicyUri())
                    + "/"
                    + e.getSecurityMode()
                    + " "
                    + Arrays.stream(
                            e.getUserIdentityTokens() == null
                                ? new UserTokenPolicy[0]
                                : e.getUserIdentityTokens())
                        .map(p -> p.getTokenType().name())
                        .distinct()
                        .toList())
        .distinct()
        .collect(Collectors.joining(", "));
  }
}
