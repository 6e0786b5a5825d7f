package io.gemba.edge;

import io.gemba.edge.southbound.opcua.AddressSpaceBrowser;
import io.gemba.edge.southbound.opcua.BrowseSpec;
import io.gemba.edge.southbound.opcua.ClientPki;
import io.gemba.edge.southbound.opcua.OpcUaConnector;
import io.gemba.edge.southbound.opcua.OpcUaSecurity;
import io.gemba.edge.southbound.opcua.UserIdentity;
import io.gemba.model.config.InvalidFieldException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edge-agent browse}: connects to an OPC UA server as the agent would and prints a machine
 * entry for the gateway file with every numeric variable found, ready to paste under {@code
 * machines:}.
 */
@Command(
    name = "browse",
    mixinStandardHelpOptions = true,
    description = {
      "Browse an OPC UA server and print a ready machine entry for the gateway file.",
      "Exit codes: 0 printed, 1 server not reachable or refused, 2 bad options."
    })
final class BrowseCommand implements Callable<Integer> {

  @Option(names = "--endpoint", required = true, description = "opc.tcp://host:port/path")
  String endpoint;

  @Option(
      names = "--path",
      description = "Browse path from the Objects folder, e.g. Machines/cnc-07 (default: Objects).")
  String path;

  @Option(names = "--root", description = "NodeId of the object to browse instead of --path.")
  String root;

  @Option(names = "--include", description = "Glob over the relative browse path (repeatable).")
  List<String> include;

  @Option(names = "--exclude", description = "Glob of variables to leave out (repeatable).")
  List<String> exclude;

  @Option(names = "--depth", defaultValue = "4", description = "Levels to descend (default 4).")
  int depth;

  @Option(
      names = "--policy",
      defaultValue = "Basic256Sha256",
      description = "None, Basic256Sha256 (default), Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss.")
  String policy;

  @Option(names = "--mode", description = "Sign or SignAndEncrypt (default).")
  String mode;

  @Option(names = "--user", description = "User name token.")
  String user;

  @Option(names = "--password-file", description = "File holding the user's password.")
  Path passwordFile;

  @Option(names = "--user-cert", description = "X.509 user certificate (DER or PEM).")
  Path userCertificate;

  @Option(names = "--user-key", description = "Its private key (PKCS#8 PEM).")
  Path userKey;

  @Option(
      names = "--pki",
      defaultValue = "data/pki",
      description = "The gateway's PKI directory (default data/pki).")
  Path pki;

  @Option(names = "--gateway-id", defaultValue = "browse", description = "For a new certificate.")
  String gatewayId;

  @Option(names = "--machine", description = "Machine id in the entry (default: from the path).")
  String machine;

  @Option(names = "--line", defaultValue = "line-1", description = "Line id in the entry.")
  String line;

  @Option(names = "--sampling-ms", defaultValue = "100", description = "Sampling of each signal.")
  int samplingMs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OpcUaSecurity security;
    BrowseSpec browse;
    try {
      UserIdentity identity =
          user == null && passwordFile == null && userCertificate == null && userKey == null
              ? null
              : new UserIdentity(user, passwordFile, userCertificate, userKey);
      security = new OpcUaSecurity(policy, mode, identity);
      browse =
          root != null || path != null
              ? new BrowseSpec(root, path, include, exclude, null, depth, samplingMs, null)
              : new BrowseSpec(
                  NodeIds.ObjectsFolder.toParseableString(),
                  null,
                  include,
                  exclude,
                  null,
                  depth,
                  samplingMs,
                  null);
    } catch (InvalidFieldException e) {
      err.println("error: --" + option(e.field()) + ": " + e.expected());
      return 2;
    }
    if (!endpoint.startsWith("opc.tcp://")) {
      err.println("error: --endpoint: expected opc.tcp://host:port/path, got '" + endpoint + "'");
      return 2;
    }
    ClientPki clientPki =
        security.unsecured()
            ? null
            : ClientPki.open(pki, "urn:gemba:edge-agent:" + gatewayId, gatewayId);
    OpcUaConnector connector = new OpcUaConnector(endpoint, security, true, clientPki);
    OpcUaClient client = null;
    try {
      client = connector.create();
      client.connect();
      AddressSpaceBrowser browser = new AddressSpaceBrowser(client);
      NodeId object = browser.resolve(browse);
      List<AddressSpaceBrowser.Variable> found = new ArrayList<>();
      for (AddressSpaceBrowser.Variable v : browser.variables(object, depth)) {
        if (browse.matches(v.relativePath())) {
          found.add(v);
        }
      }
      print(out, security, found);
      return 0;
    } catch (UaException | RuntimeException e) {
      err.println("error: " + endpoint + ": " + connector.explain(e));
      return 1;
    } finally {
      if (client != null) {
        try {
          client.disconnect();
        } catch (UaException e) {
          // the process ends anyway
        }
      }
      if (clientPki != null) {
        clientPki.close();
      }
    }
  }

  private static String option(String field) {
    return switch (field) {
      case "passwordFile" -> "password-file";
      case "username" -> "user";
      case "certificateFile" -> "user-cert";
      case "privateKeyFile" -> "user-key";
      case "maxDepth" -> "depth";
      case "samplingMs" -> "sampling-ms";
      default -> field.replaceAll("\\[\\d+]", "");
    };
  }

  private void print(
      PrintWriter out, OpcUaSecurity security, List<AddressSpaceBrowser.Variable> found) {
    String where = path != null ? path : root != null ? root : "Objects";
    String id = machine != null ? machine : machineId(where);
    out.printf(
        "# %d numeric variables under %s on %s (%s, %s)%n",
        found.size(), where, endpoint, security.policy(), security.mode());
    out.println("# paste under machines: in the gateway file; check names, state map and counters");
    out.printf("  - id: %s%n", id);
    out.printf("    line: %s%n", line);
    out.println("    opcua:");
    out.printf("      endpoint: %s%n", endpoint);
    out.printf("      security: %s%n", securityYaml(security));
    out.println("      signals:");
    Set<String> names = new HashSet<>();
    List<String> hints = new ArrayList<>();
    for (AddressSpaceBrowser.Variable v : found) {
      String name = v.signalName(null);
      String node = v.node().toParseableString();
      String comment = "# " + v.dataTypeName() + " = " + valueText(v.value().getValue());
      String lower = v.relativePath().toLowerCase(Locale.ROOT);
      if (lower.contains("state") || lower.contains("status") || lower.contains("mode")) {
        hints.add(
            String.format(
                "      # state: { node: \"%s\", map: { 1: producing, 2: idle, 3: down } }   %s",
                node, comment));
      }
      if (lower.contains("count")
          || lower.contains("total")
          || lower.contains("good")
          || lower.contains("reject")
          || lower.contains("parts")) {
        hints.add(String.format("      # counter candidate: \"%s\"   %s", node, comment));
      }
      if (!names.add(name)) {
        out.printf("      # second variable named %s left out: %s%n", name, node);
        continue;
      }
      out.printf(
          "        - { name: %s, node: \"%s\", samplingMs: %d }   %s%n",
          name, node, samplingMs, comment);
    }
    hints.forEach(out::println);
  }

  private static String securityYaml(OpcUaSecurity security) {
    StringBuilder s = new StringBuilder("{ policy: ").append(security.policy());
    if (!security.unsecured()) {
      s.append(", mode: ").append(security.mode());
    }
    UserIdentity u = security.user();
    if (u != null) {
      s.append(
          u.isUsername()
              ? ", user: { username: " + u.username() + ", passwordFile: " + u.passwordFile() + " }"
              : ", user: { certificateFile: "
                  + u.certificateFile()
                  + ", privateKeyFile: "
                  + u.privateKeyFile()
                  + " }");
    }
    return s.append(" }").toString();
  }

  private static String machineId(String where) {
    String last = where.substring(where.lastIndexOf('/') + 1);
    last = last.substring(last.indexOf(':') + 1);
    String id = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
    id = id.replaceAll("^-+|-+$", "");
    return id.isEmpty() || !Character.isLetterOrDigit(id.charAt(0)) ? "machine-1" : id;
  }

  private static String valueText(Variant value) {
    Object v = value == null ? null : value.getValue();
    return v == null ? "(no value)" : String.valueOf(v);
  }
}
