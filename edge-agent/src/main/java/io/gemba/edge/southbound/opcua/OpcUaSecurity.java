package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import java.util.List;

/**
 * Security of one OPC UA connection: the security policy, the message security mode and the user
 * the session is opened as.
 *
 * <p>A machine without a {@code security} key connects with {@code Basic256Sha256} and {@code
 * SignAndEncrypt}. Writing {@code policy: None} is the only way to connect unsecured, and the agent
 * logs a warning for every such machine.
 *
 * @param policy {@code None}, {@code Basic256Sha256} (default), {@code Aes128_Sha256_RsaOaep} or
 *     {@code Aes256_Sha256_RsaPss}
 * @param mode {@code Sign} or {@code SignAndEncrypt} (default); {@code None} with policy None
 * @param user the user token; anonymous when absent
 */
public record OpcUaSecurity(String policy, String mode, UserIdentity user) {

  /** Policies this agent connects with, by their names in the OPC UA specification. */
  public static final List<String> POLICIES =
      List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

  /** What a machine without a {@code security} key gets. */
  public static final OpcUaSecurity DEFAULT =
      new OpcUaSecurity("Basic256Sha256", "SignAndEncrypt", null);

  public OpcUaSecurity {
    policy = policy == null ? "Basic256Sha256" : policy;
    if (!POLICIES.contains(policy)) {
      throw new InvalidFieldException(
          "policy", "expected one of " + String.join(", ", POLICIES) + ", got '" + policy + "'");
    }
    if (isNone(policy)) {
      if (mode != null && !"None".equals(mode)) {
        throw new InvalidFieldException(
            "mode", "expected None (or no mode) with policy None, got '" + mode + "'");
      }
      mode = "None";
    } else {
      mode = mode == null ? "SignAndEncrypt" : mode;
      if (!"Sign".equals(mode) && !"SignAndEncrypt".equals(mode)) {
        throw new InvalidFieldException(
            "mode",
            "expected Sign or SignAndEncrypt with policy " + policy + ", got '" + mode + "'");
      }
    }
  }

  /** True for policy None: no signing, no encryption, no certificates. */
  public boolean unsecured() {
    return isNone(policy);
  }

  private static boolean isNone(String policy) {
    return "None".equals(policy);
  }
}
