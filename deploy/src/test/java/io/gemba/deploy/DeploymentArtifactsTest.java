package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gemba.api.ApiCommand;
import io.gemba.edge.EdgeAgentCommand;
import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.config.MachineSource;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.Park;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.SimulatorsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    List<String> submit = at(services.get("kpi-job"), "command");
    int jar = submit.indexOf("/opt/flink/usrlib/gemba-kpi-job.jar");
    assertThat(jar).isPositive();
    assertThat(Files.readString(DOCKER.resolve("Dockerfile.flink")))
        .contains("/opt/flink/usrlib/gemba-kpi-job.jar");
    assertAccepted(new KpiJobCommand(), submit.subList(jar + 1, submit.size()));
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
    Map<String, Object> kustomization = yaml(K8S.resolve("kustomization.yaml"));
    List<Map<String, Object>> all = new ArrayList<>();
    for (String resource : (List<String>) kustomization.get("resources")) {
      all.addAll(documents(K8S.resolve(resource)));
    }
    for (Map<String, Object> doc : all) {
      assertThat(doc).containsKeys("apiVersion", "kind", "metadata");
      assertThat((String) at(doc, "metadata", "name")).isNotBlank();
    }
    Map<String, Object> flink =
        all.stream().filter(d -> "FlinkDeployment".equals(d.get("kind"))).findFirst().orElseThrow();
    assertThat((String) at(flink, "apiVersion")).isEqualTo("flink.apache.org/v1beta1");
    assertThat((String) at(flink, "spec", "job", "jarURI"))
        .isEqualTo("local:///opt/flink/usrlib/gemba-kpi-job.jar");
    assertThat((String) at(flink, "spec", "job", "entryClass"))
        .isEqualTo(KpiJobCommand.class.getName());
    assertAccepted(new KpiJobCommand(), at(flink, "spec", "job", "args"));

    Map<String, Object> deployment =
        all.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> service =
        all.stream().filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
    Map<String, Object> selector = at(deployment, "spec", "selector", "matchLabels");
    assertThat(podLabels).containsAllEntriesOf(selector);
    assertThat(podLabels).containsAllEntriesOf(at(service, "spec", "selector"));
    Map<String, Object> container =
        ((List<Map<String, Object>>) at(deployment, "spec", "template", "spec", "containers"))
            .get(0);
    Set<String> portNames = new TreeSet<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) container.get("ports")) {
      portNames.add((String) p.get("name"));
    }
    for (Map<String, Object> p : (List<Map<String, Object>>) at(service, "spec", "ports")) {
      assertThat(portNames).contains((String) p.get("targetPort"));
    }
    assertJavaCommand((List<String>) container.get("command"));
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
  }

  @Test
  void composeGatewayFiles_areWhatTheSimulatorsGenerate_andValid() throws Exception {
    Park park = Park.load(ROOT.resolve("deploy/parks/demo.yaml"));
    for (Factory f : park.factories()) {
      Path file = DOCKER.resolve("gateways/gw-" + f.id() + ".yaml");
      assertThat(Files.readString(file))
          .as("%s; regenerate it if the simulators' gateway files changed", file)
          .isEqualTo(
              GatewayFiles.gateway(
                  f,
                  "tcp://mosquitto:1883",
                  Path.of("/var/lib/gemba/buffer"),
                  "opc.tcp://simulators:4840/gemba-sim",
                  2,
                  "{ policy: None }",
                  "tcp://mosquitto:1883"));
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
