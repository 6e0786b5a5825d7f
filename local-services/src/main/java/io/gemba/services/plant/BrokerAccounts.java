package io.gemba.services.plant;

import io.gemba.connect.Identities;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.model.envelope.Topics;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Who may do what on the plant broker, as mosquitto's ACL files say it: one user per connection
 * that must stay up beside another (the broker makes a client's id its user name on the shared
 * listener, so no user can take over another's session), each allowed exactly the topics its role
 * needs and nothing else. Two listeners: the shared one for the gateways, the line-side publishers
 * and the API, and the KPI job's own, where its many connections share one user.
 */
public final class BrokerAccounts {

  /** One broker user: its name, what the ACL file says of it, and why. */
  public record Account(String user, String comment, List<String> rules) {}

  private final List<Account> shared;
  private final List<Account> job;

  private BrokerAccounts(List<Account> shared, List<Account> job) {
    this.shared = List.copyOf(shared);
    this.job = List.copyOf(job);
  }

  /**
   * The accounts of a park: each gateway the park file lists for a factory (its uplink, its
   * optional Sparkplug B output, and its reader of line stations that publish to this broker), each
   * writing its own factory's topics only; the API; and the KPI job.
   *
   * @param simulatedStations whether the demo's simulated line-station PLCs publish here too
   */
  public static BrokerAccounts of(Park park, boolean simulatedStations) {
    return of(park, simulatedStations, List.of(Identities.API));
  }

  /**
   * As {@link #of(Park, boolean)}, with a broker user for each API replica in {@code apiUsers}:
   * with client ids tied to user names, two replicas of one user would take over each other's
   * connection.
   */
  public static BrokerAccounts of(Park park, boolean simulatedStations, List<String> apiUsers) {
    List<Account> shared = new ArrayList<>();
    for (Factory factory : park.factories()) {
      for (String gateway : factory.gateways()) {
        shared.addAll(gateway(factory.id(), gateway));
      }
    }
    if (simulatedStations) {
      shared.add(
          new Account(
              Identities.SIMULATED_STATIONS,
              "The demo's simulated line-station PLCs: publish their JSON under plant/.",
              List.of("topic write plant/+/+/+")));
    }
    for (String api : apiUsers) {
      shared.add(
          new Account(api, "The API's live feed: reads the KPI topics only.", kpiTopics("read")));
    }
    for (Account a : shared) {
      if (a.user().startsWith(Identities.KPI_JOB)) {
        // The job's client ids are gemba-kpi-...: no user of this listener may have one as its id.
        throw new IllegalArgumentException(
            "broker user '" + a.user() + "' would take client ids of the KPI job");
      }
    }
    List<String> jobRules = new ArrayList<>();
    jobRules.add("topic read " + Topics.ALL_TELEMETRY);
    jobRules.addAll(kpiTopics("write"));
    Account kpiJob =
        new Account(
            Identities.KPI_JOB,
            "The KPI job: reads all telemetry (shared subscription $share/gemba-kpi/...), writes"
                + " the KPI topics.",
            jobRules);
    return new BrokerAccounts(shared, List.of(kpiJob));
  }

  /** The accounts of {@code node}, a gateway of {@code factory}, named after its gateway id. */
  private static List<Account> gateway(String factory, String node) {
    List<String> sparkplug = new ArrayList<>();
    for (String type : List.of("NBIRTH", "NDEATH", "NDATA")) {
      sparkplug.add("topic write spBv1.0/+/" + type + "/" + node);
    }
    for (String type : List.of("DBIRTH", "DDEATH", "DDATA")) {
      sparkplug.add("topic write spBv1.0/+/" + type + "/" + node + "/+");
    }
    sparkplug.add("topic read spBv1.0/+/NCMD/" + node);
    return List.of(
        new Account(
            node,
            "Gateway "
                + node
                + " of factory "
                + factory
                + ": writes its factory's telemetry,"
                + " nothing else.",
            List.of("topic write gemba/v1/" + factory + "/+/+/telemetry")),
        new Account(
            node + Identities.SPARKPLUG_SUFFIX,
            "Its optional Sparkplug B output: its own edge node's topics, and commands to it.",
            sparkplug),
        new Account(
            node + Identities.STATIONS_SUFFIX,
            "Its reader of line stations that publish to this broker: their topics only.",
            List.of("topic read plant/" + factory + "/#")));
  }

  /** The live KPI topics at every level (park, factory, line, machine). */
  private static List<String> kpiTopics(String access) {
    return List.of(
        "topic " + access + " gemba/v1/kpi/+",
        "topic " + access + " gemba/v1/+/kpi/+",
        "topic " + access + " gemba/v1/+/+/kpi/+",
        "topic " + access + " gemba/v1/+/+/+/kpi/+");
  }

  /** The accounts of the shared listener (gateways, line-side publishers, API). */
  public List<Account> shared() {
    return shared;
  }

  /** The accounts of the KPI job's listener. */
  public List<Account> job() {
    return job;
  }

  /** The ACL file of the shared listener ({@code gemba-shared.acl}). */
  public String sharedAcl() {
    return aclFile("Plant broker, shared listener", shared);
  }

  /** The ACL file of the KPI job's listener ({@code gemba-job.acl}). */
  public String jobAcl() {
    return aclFile("Plant broker, the KPI job's listener", job);
  }

  /** An ACL file for mosquitto with {@code accounts}, each block commented. */
  static String aclFile(String title, List<Account> accounts) {
    StringBuilder out =
        new StringBuilder("# ")
            .append(title)
            .append(
                "\n# Generated by Gemba from the park file (docs/security.md#broker-accounts).\n");
    for (Account a : accounts) {
      out.append("\n# ").append(a.comment()).append("\nuser ").append(a.user()).append('\n');
      a.rules().forEach(r -> out.append(r).append('\n'));
    }
    return out.toString();
  }

  /**
   * mosquitto's password file for {@code passwords} (user to password), each hashed as mosquitto
   * 2.0 does: PBKDF2 with HMAC-SHA512, 101 iterations, a random 12-byte salt ({@code $7$}).
   */
  public static String passwordFile(Map<String, byte[]> passwords) {
    StringBuilder out = new StringBuilder();
    new LinkedHashMap<>(passwords)
        .forEach(
            (user, password) -> out.append(user).append(':').append(hash(password)).append('\n'));
    return out.toString();
  }

  static String hash(byte[] password) {
    byte[] salt = new byte[12];
    new SecureRandom().nextBytes(salt);
    return hash(password, salt);
  }

  static String hash(byte[] password, byte[] salt) {
    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
    try {
      byte[] derived =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
              .generateSecret(new PBEKeySpec(chars, salt, 101, 64 * 8))
              .getEncoded();
      Base64.Encoder b64 = Base64.getEncoder();
      return "$7$101$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this JVM", e);
    }
  }
}
