package io.gemba.edge.southbound.opcua;

import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Turns a failed OPC UA connection into a sentence that says what to do about it. */
final class ConnectFailures {

  private ConnectFailures() {}

  static String explain(Throwable failure, ClientPki pki, OpcUaSecurity security) {
    Optional<StatusCode> status = UaException.extractStatusCode(failure);
    String detail = innermostUaMessage(failure);
    if (status.isEmpty()) {
      return detail;
    }
    long code = status.get().getValue();
    String name = StatusCodes.lookup(code).map(n -> n[0]).orElse(String.format("0x%08X", code));
    if (code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_CertificateChainIncomplete) {
      return detail
          + " ("
          + name
          + "); it was put in "
          + pki.rejectedDir().toAbsolutePath()
          + ". If it is the right server, move it to "
          + pki.trustedDir().toAbsolutePath()
          + " (no restart needed)";
    }
    if (code == StatusCodes.Bad_CertificateTimeInvalid
        || code == StatusCodes.Bad_CertificateIssuerTimeInvalid) {
      return "the server's certificate is outside its validity period ("
          + name
          + "); the server needs a new certificate, or this gateway's clock is wrong";
    }
    if (code == StatusCodes.Bad_CertificateHostNameInvalid) {
      return "the server's certificate does not name the host of the endpoint ("
          + name
          + "); connect by a host name or address the certificate lists";
    }
    if (code == StatusCodes.Bad_CertificateUriInvalid) {
      return "the server's certificate does not carry the application URI the server announces ("
          + name
          + ")";
    }
    if (code == StatusCodes.Bad_CertificateRevoked
        || code == StatusCodes.Bad_CertificateIssuerRevoked) {
      return "the server's certificate was revoked (" + name + ")";
    }
    if (code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateInvalid
        || code == StatusCodes.Bad_SecurityPolicyRejected) {
      return "the server refused the secure channel ("
          + name
          + "); it may not trust this gateway's certificate "
          + (pki == null ? "" : pki.certificateFile().toAbsolutePath() + " ")
          + "yet: add it to the server's trusted certificates";
    }
    if (code == StatusCodes.Bad_UserAccessDenied
        || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected) {
      return "the server refused the user "
          + (security.user() == null
              ? "(anonymous; configure security.user)"
              : security.user().isUsername()
                  ? "'" + security.user().username() + "'"
                  : "certificate " + security.user().certificateFile())
          + " ("
          + name
          + ")";
    }
    return name + ": " + detail;
  }

  /** The message of the deepest {@link UaException} in the chain, else of the root cause. */
  private static String innermostUaMessage(Throwable failure) {
    String message = null;
    Throwable t = failure;
    Throwable root = failure;
    while (t != null) {
      if (t instanceof UaException && t.getMessage() != null) {
        message = t.getMessage();
      }
      root = t;
      t = t.getCause() == t ? null : t.getCause();
    }
    if (message != null) {
      return message;
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
