package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gemba.api.ApiCommand;
import io.gemba.api.security.PasswordsFile;
import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.Identities;
import io.gemba.connect.TlsFiles;
import io.gemba.edge.EdgeAgentCommand;
import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.config.MachineSource;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.Park;
import io.gemba.services.plant.PlantSecretsCommand;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.SimulatorsCommand;
import io.gemba.sim.modbus.ModbusMachines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deployment artifacts are checked without Docker or Kubernetes, which this machine does not
 * run: the Compose file and the Kubernetes manifests parse; what they reference exists (images'
 * Dockerfiles, mounted files, volumes, services, ConfigMaps, the job jar's path); every command
 * line they run is accepted by the command it runs (picocli parses it as the program would); and
 * the Compose gateway files are what the simulators generate for the demo park, valid gateway files
 * covering every OPC UA and MQTT machine of their factory.
 */
class DeploymentArtifactsTest {

  private static final Path DOCKER = Path.of("docker");
  private static final Path K8S = Path.of("k8s");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Yaml(new LoaderOptions()).load(Files.readString(file));
  }

  private static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) doc;
      out.add(map);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      assertThat(current).as("a mapping at %s", String.join(".", path)).isInstanceOf(Map.class);
      current = ((Map<String, Object>) current).get(key);
    }
    return (T) current;
  }

  /** Parses a command line as the program would; fails naming what it refused. */
  private static void assertAccepted(Object command, List<String> args) {
    try {
      new CommandLine(command).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(
          command.getClass().getSimpleName() + " refuses " + args + ": " + e.getMessage(), e);
    }
  }

  /** The arguments after the jar of a {@code java -jar X.jar ...} command. */
  private static void assertJavaCommand(List<String> command) {
    assertThat(command.subList(0, 2)).containsExactly("java", "-jar");
    String jar = command.get(2);
    List<String> args = command.subList(3, command.size());
    switch (jar) {
      case "/opt/gemba/api/gemba-api.jar" -> assertAccepted(new ApiCommand(), args);
      case "/opt/gemba/simulators/gemba-simulators.jar" ->
          assertAccepted(new SimulatorsCommand(), args);
      case "/opt/gemba/edge-agent/gemba-edge-agent.jar" ->
          assertAccepted(new EdgeAgentCommand(), args);
      case "/opt/gemba/local-services/gemba-local-services.jar" ->
          assertAccepted(new PlantSecretsCommand(), args);
      default -> throw new AssertionError("no Gemba program at " + jar);
    }
  }

  @Test
  void composeFile_referencesWhatExists_andRunsCommandsItsProgramsAccept() throws Exception {
    Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
    Map<String, Map<String, Object>> services = at(compose, "services");
    Set<String> volumes = ((Map<String, Object>) at(compose, "volumes")).keySet();
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertThat(services.keySet())
        .contains("influxdb", "mosquitto", "jobmanager", "taskmanager", "kpi-job", "api");
    for (var entry : services.entrySet()) {
      String name = entry.getKey();
      Map<String, Object> service = entry.getValue();
      assertThat((String) service.get("image")).as("%s's image", name).isNotBlank();
      Map<String, Object> build = at(service, "build");
      if (build != null) {
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertThat(context.resolve((String) build.get("dockerfile"))).as(name).isRegularFile();
      }
      Object dependsOn = service.get("depends_on");
      Iterable<String> needed =
          dependsOn instanceof Map<?, ?> m
              ? ((Map<String, Object>) m).keySet()
              : dependsOn == null ? List.of() : (List<String>) dependsOn;
      for (String other : needed) {
        assertThat(services).as("%s depends on %s", name, other).containsKey(other);
      }
      for (String mount :
          service.get("volumes") == null
              ? List.<String>of()
              : (List<String>) service.get("volumes")) {
        String source = mount.split(":")[0];
        if (source.equals("./secrets")) {
          continue; // made by plant-secrets; what must be in it is checked below
        }
        if (source.startsWith(".")) {
          assertThat(DOCKER.resolve(source)).as("%s mounts %s", name, source).exists();
        } else {
          assertThat(volumes).as("%s's volume %s is declared", name, source).contains(source);
        }
      }
      Object command = service.get("command");
      if (command instanceof List<?> list && "java".equals(list.get(0))) {
        List<String> args = (List<String>) list;
        assertJavaCommand(args);
        // The Dockerfile puts the jar where the command looks for it.
        assertThat(dockerfile).contains(Path.of(args.get(2)).getParent() + "/");
      }
    }
    assertSecretsAreMadeAndMounted(compose, services);
    List<String> submit = at(services.get("kpi-job"), "command");
    int jar = submit.indexOf("/opt/flink/usrlib/gemba-kpi-job.jar");
    assertThat(jar).isPositive();
    assertThat(Files.readString(DOCKER.resolve("Dockerfile.flink")))
        .contains("/opt/flink/usrlib/gemba-kpi-job.jar");
    assertAccepted(new KpiJobCommand(), submit.subList(jar + 1, submit.size()));
  }

  /**
   * Every Compose secret is a file the documented steps make (plant-secrets, api passwd), and every
   * secret a service's command line or gateway file reads is mounted in that service.
   */
  @SuppressWarnings("unchecked")
  private static void assertSecretsAreMadeAndMounted(
      Map<String, Object> compose, Map<String, Map<String, Object>> services) throws Exception {
    Path made = Files.createTempDirectory("compose-secrets");
    int code =
        new CommandLine(new PlantSecretsCommand())
            .execute(
                "--park",
                ROOT.resolve("deploy/parks/demo.yaml").toString(),
                "--dir",
                made.toString(),
                "--broker-host",
                "mosquitto",
                "--influx-host",
                "influxdb",
                "--api-host",
                "localhost",
                "--simulated-stations");
    assertThat(code).isZero();
    new PasswordsFile(made.resolve("api/passwords")).set("ops", "a password for ops".toCharArray());
    Map<String, Map<String, Object>> secrets = at(compose, "secrets");
    for (var secret : secrets.entrySet()) {
      String file = (String) secret.getValue().get("file");
      assertThat(file).startsWith("./secrets/");
      assertThat(made.resolve(file.substring("./secrets/".length())))
          .as("secret %s: %s, made by plant-secrets", secret.getKey(), file)
          .isRegularFile();
    }
    for (var entry : services.entrySet()) {
      Set<String> mounted = new TreeSet<>();
      Object list = entry.getValue().get("secrets");
      if (list != null) {
        for (Object s : (List<Object>) list) {
          String name = s instanceof Map<?, ?> m ? (String) m.get("source") : (String) s;
          assertThat(secrets)
              .as("%s's secret %s is declared", entry.getKey(), name)
              .containsKey(name);
          mounted.add(
              s instanceof Map<?, ?> m && m.get("target") != null
                  ? (String) m.get("target")
                  : "/run/secrets/" + name);
        }
      }
      StringBuilder reads = new StringBuilder(String.valueOf(entry.getValue().get("command")));
      if (entry.getKey().equals("taskmanager")) {
        // The job's MQTT readers and InfluxDB writers run in the TaskManagers.
        reads.append(services.get("kpi-job").get("command"));
      }
      for (Object mount :
          entry.getValue().get("volumes") == null
              ? List.of()
              : (List<Object>) entry.getValue().get("volumes")) {
        String source = String.valueOf(mount).split(":")[0];
        if (source.startsWith("./gateways/")) {
          reads.append(Files.readString(DOCKER.resolve(source)));
        }
      }
      Matcher m = Pattern.compile("/run/secrets/[A-Za-z0-9._-]+").matcher(reads);
      while (m.find()) {
        assertThat(mounted).as("%s reads %s", entry.getKey(), m.group()).contains(m.group());
      }
    }
  }

  @Test
  void flinkImage_isTheFlinkVersionTheJobIsBuiltAgainst() throws Exception {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String version =
        pom.substring(pom.indexOf("<flink.version>") + 15, pom.indexOf("</flink.version>"));
    assertThat(Files.readString(DOCKER.resolve("Dockerfile.flink")))
        .contains("FROM flink:" + version + "-java17");
    Map<String, Object> flink = documents(K8S.resolve("flink-deployment.yaml")).get(0);
    String[] parts = version.split("\\.");
    assertThat((String) at(flink, "spec", "flinkVersion"))
        .isEqualTo("v" + parts[0] + "_" + parts[1]);
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesManifests_areConsistent_andTheJobArgumentsAreAccepted() throws Exception {
    List<Map<String, Object>> all = kubernetesResources();
    for (Map<String, Object> doc : all) {
      assertThat(doc).containsKeys("apiVersion", "kind", "metadata");
      assertThat((String) at(doc, "metadata", "name")).isNotBlank();
    }
    Map<String, Object> flink = kind(all, "FlinkDeployment").get(0);
    assertThat((String) at(flink, "apiVersion")).isEqualTo("flink.apache.org/v1beta1");
    assertThat((String) at(flink, "spec", "job", "jarURI"))
        .isEqualTo("local:///opt/flink/usrlib/gemba-kpi-job.jar");
    assertThat((String) at(flink, "spec", "job", "entryClass"))
        .isEqualTo(KpiJobCommand.class.getName());
    List<String> jobArgs = at(flink, "spec", "job", "args");
    assertAccepted(new KpiJobCommand(), jobArgs);
    assertThat(jobArgs).contains("--mqtt=ssl://mosquitto.plant.svc:8884");
    assertSecretFilesMounted(jobArgs, at(flink, "spec", "podTemplate", "spec"), List.of(""));

    Map<String, Object> api = kind(all, "StatefulSet").get(0);
    Map<String, Object> podLabels = at(api, "spec", "template", "metadata", "labels");
    Map<String, Object> selector = at(api, "spec", "selector", "matchLabels");
    assertThat(podLabels).containsAllEntriesOf(selector);
    List<Map<String, Object>> services = kind(all, "Service");
    assertThat(services.stream().map(svc -> (String) at(svc, "metadata", "name")))
        .contains((String) at(api, "spec", "serviceName"));
    Map<String, Object> container =
        ((List<Map<String, Object>>) at(api, "spec", "template", "spec", "containers")).get(0);
    Set<String> portNames = new TreeSet<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) container.get("ports")) {
      portNames.add((String) p.get("name"));
    }
    for (Map<String, Object> service : services) {
      assertThat(podLabels).containsAllEntriesOf(at(service, "spec", "selector"));
      for (Map<String, Object> p : (List<Map<String, Object>>) at(service, "spec", "ports")) {
        assertThat(portNames).contains((String) p.get("targetPort"));
      }
    }
    List<String> command = (List<String>) container.get("command");
    assertJavaCommand(command);
    int replicas = (Integer) at(api, "spec", "replicas");
    List<String> podNames = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      podNames.add(at(api, "metadata", "name") + "-" + i);
    }
    // Each replica connects to the broker as the user of its name (POD_NAME), with its file.
    assertThat(command).contains("--mqtt-user=$(POD_NAME)");
    assertSecretFilesMounted(command, at(api, "spec", "template", "spec"), podNames);
  }

  private static List<Map<String, Object>> kubernetesResources() throws IOException {
    Map<String, Object> kustomization = yaml(K8S.resolve("kustomization.yaml"));
    List<Map<String, Object>> all = new ArrayList<>();
    for (String resource : (List<String>) kustomization.get("resources")) {
      all.addAll(documents(K8S.resolve(resource)));
    }
    return all;
  }

  private static List<Map<String, Object>> kind(List<Map<String, Object>> all, String kind) {
    List<Map<String, Object>> out = all.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(out).as("resources of kind %s", kind).isNotEmpty();
    return out;
  }

  /**
   * Every secret file an argument names ({@code /etc/gemba/secrets/...}, for each replica's {@code
   * $(POD_NAME)}) is an item of the pod's secret volume mounted there.
   */
  @SuppressWarnings("unchecked")
  private static void assertSecretFilesMounted(
      List<String> args, Map<String, Object> podSpec, List<String> podNames) {
    Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    String volume = null;
    for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
      if ("/etc/gemba/secrets".equals(mount.get("mountPath"))) {
        volume = (String) mount.get("name");
      }
    }
    assertThat(volume).as("a volume mounted at /etc/gemba/secrets").isNotNull();
    Set<String> items = new TreeSet<>();
    for (Map<String, Object> v : (List<Map<String, Object>>) podSpec.get("volumes")) {
      if (!volume.equals(v.get("name"))) {
        continue;
      }
      List<Map<String, Object>> secrets = new ArrayList<>();
      if (v.get("secret") != null) {
        secrets.add((Map<String, Object>) v.get("secret"));
      } else {
        for (Map<String, Object> source :
            (List<Map<String, Object>>) at((Map<String, Object>) v, "projected", "sources")) {
          secrets.add((Map<String, Object>) source.get("secret"));
        }
      }
      for (Map<String, Object> secret : secrets) {
        for (Map<String, Object> item : (List<Map<String, Object>>) secret.get("items")) {
          items.add("/etc/gemba/secrets/" + item.get("path"));
        }
      }
    }
    for (String arg : args) {
      int at = arg.indexOf("/etc/gemba/secrets/");
      if (at < 0) {
        continue;
      }
      for (String pod : podNames) {
        assertThat(items).as("%s", arg).contains(arg.substring(at).replace("$(POD_NAME)", pod));
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesPods_runLockedDown_andOnlyTheOperatorReachesFlinksRestPort() throws Exception {
    List<Map<String, Object>> all = kubernetesResources();
    List<Map<String, Object>> pods =
        List.of(
            at(kind(all, "StatefulSet").get(0), "spec", "template", "spec"),
            at(kind(all, "FlinkDeployment").get(0), "spec", "podTemplate", "spec"));
    for (Map<String, Object> pod : pods) {
      assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
      assertThat((Integer) at(pod, "securityContext", "fsGroup")).isNotNull();
      assertThat((String) at(pod, "securityContext", "seccompProfile", "type"))
          .isEqualTo("RuntimeDefault");
      for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
        assertThat((Boolean) at(c, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((Boolean) at(c, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((List<String>) at(c, "securityContext", "capabilities", "drop"))
            .containsExactly("ALL");
      }
    }
    List<Map<String, Object>> policies = kind(all, "NetworkPolicy");
    assertThat(policies)
        .anyMatch(
            p ->
                ((Map<String, Object>) at(p, "spec", "podSelector")).isEmpty()
                    && ((List<String>) at(p, "spec", "policyTypes")).contains("Ingress")
                    && at(p, "spec", "ingress") == null);
    // Port 8081 is opened by exactly one policy, for the operator's namespace only.
    List<Map<String, Object>> rest =
        policies.stream()
            .filter(p -> String.valueOf((Object) at(p, "spec", "ingress")).contains("port=8081"))
            .toList();
    assertThat(rest).hasSize(1);
    Map<String, Object> from =
        ((List<Map<String, Object>>)
                ((List<Map<String, Object>>) at(rest.get(0), "spec", "ingress")).get(0).get("from"))
            .get(0);
    assertThat(from).containsOnlyKeys("namespaceSelector");
    assertThat((Map<String, Object>) at(rest.get(0), "spec", "podSelector", "matchLabels"))
        .containsEntry("component", "jobmanager");
  }

  @Test
  void edgeAgentUnit_isValidForSystemd_andRunsCommandsTheAgentAccepts() throws Exception {
    Path unit = Path.of("systemd", "gemba-edge-agent.service");
    for (String line : Files.readAllLines(unit)) {
      if (line.startsWith("ExecStart=") || line.startsWith("ExecStartPre=")) {
        List<String> words = List.of(line.substring(line.indexOf('=') + 1).split(" "));
        int jar = words.indexOf("-jar") + 1;
        assertThat(words.get(jar)).isEqualTo("/opt/gemba/edge-agent/gemba-edge-agent.jar");
        assertAccepted(new EdgeAgentCommand(), words.subList(jar + 1, words.size()));
      }
    }
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
    Process verify =
        new ProcessBuilder(analyze.toString(), "verify", unit.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(verify.getInputStream().readAllBytes());
    assertThat(verify.waitFor()).as(output).isZero();
    assertThat(output).as("systemd-analyze's warnings").isBlank();

    // The sandbox, as systemd rates it: 0 is locked down, 10 fully exposed (8.5 without it).
    Process security =
        new ProcessBuilder(
                analyze.toString(), "security", "--offline=true", "--no-pager", unit.toString())
            .redirectErrorStream(true)
            .start();
    String rating = new String(security.getInputStream().readAllBytes());
    security.waitFor();
    Matcher level =
        Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(rating);
    assertThat(level.find()).as(rating).isTrue();
    assertThat(Double.parseDouble(level.group(1))).as(rating).isLessThanOrEqualTo(1.5);
  }

  /**
   * The gateway file the simulators generate for a factory of the Compose park: TLS to the broker,
   * as the gateway's own users, with their passwords and the CA from Compose secrets.
   */
  static String composeGateway(Factory f) {
    TlsFiles ca = new TlsFiles(Path.of("/run/secrets/ca.crt"), null, null);
    String uplink = Identities.gateway(f.id());
    String stations = Identities.gatewayStations(f.id());
    return GatewayFiles.gateway(
        f,
        new GatewayFiles.Brokers(
            new BrokerEndpoint(
                "ssl://mosquitto:8883",
                uplink,
                Path.of("/run/secrets/mqtt-" + uplink + ".pass"),
                ca,
                false),
            new BrokerEndpoint(
                "ssl://mosquitto:8883",
                stations,
                Path.of("/run/secrets/mqtt-" + stations + ".pass"),
                ca,
                false)),
        Path.of("/var/lib/gemba/buffer"),
        "opc.tcp://simulators:4840/gemba-sim",
        2,
        "{ policy: None }",
        "tcp://simulators:5020",
        ModbusMachines.unitIds(Park.load(ROOT.resolve("deploy/parks/demo.yaml"))));
  }

  @Test
  void composeGatewayFiles_areWhatTheSimulatorsGenerate_andValid() throws Exception {
    Park park = Park.load(ROOT.resolve("deploy/parks/demo.yaml"));
    for (Factory f : park.factories()) {
      Path file = DOCKER.resolve("gateways/gw-" + f.id() + ".yaml");
      assertThat(Files.readString(file))
          .as("%s; regenerate it if the simulators' gateway files changed", file)
          .isEqualTo(composeGateway(f));
      GatewayConfig config = GatewayConfig.load(file);
      Set<String> expected = new TreeSet<>();
      for (Line l : f.lines()) {
        for (Machine m : l.machines()) {
          expected.add(m.id());
        }
      }
      assertThat(config.machines().stream().map(MachineSource::id).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
