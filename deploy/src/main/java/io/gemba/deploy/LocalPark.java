package io.gemba.deploy;

import io.gemba.api.ApiVerticle;
import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.PasswordsFile;
import io.gemba.api.security.Role;
import io.gemba.api.security.SignIn;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.connect.Identities;
import io.gemba.connect.SecretFile;
import io.gemba.edge.EdgeAgent;
import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.southbound.opcua.ClientPki;
import io.gemba.jobs.KpiJob;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.model.asset.Park;
import io.gemba.services.FreePorts;
import io.gemba.services.LocalServices;
import io.gemba.services.plant.PlantSecrets;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSecurity;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import io.gemba.sim.truth.TruthLog;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine, in the order data flows: mosquitto and influxd, the simulated
 * park, one edge agent per factory, the KPI job in a local Flink MiniCluster, and the API. The demo
 * command and the end-to-end test start it the same way; closing stops everything in reverse order.
 */
public final class LocalPark implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalPark.class);

  private static final String DEMO_USER = "gemba-demo";

  /**
   * How to run the park.
   *
   * @param httpPort the API port; 0 for any free port
   * @param speed simulated seconds per wall-clock second
   * @param gatewayEndpoint the OPC UA endpoint the gateways are given for the simulators' server
   *     endpoint: the same one, or, in a test, a relay in between that it can cut
   */
  public record Options(
      Path dataDir,
      Path parkFile,
      int httpPort,
      double speed,
      long seed,
      UnaryOperator<String> gatewayEndpoint) {
    public Options(Path dataDir, Path parkFile, int httpPort, double speed, long seed) {
      this(dataDir, parkFile, httpPort, speed, seed, UnaryOperator.identity());
    }
  }

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private LocalServices services;
  private ParkSimulation simulation;
  private final List<EdgeAgent> agents = new ArrayList<>();
  private ApiVerticle api;
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);
  private final Map<Role, Path> demoPasswords = new EnumMap<>(Role.class);

  private LocalPark() {}

  public static LocalPark start(Options options) throws Exception {
    LocalPark park = new LocalPark();
    try {
      park.startAll(options);
      return park;
    } catch (Exception | Error e) {
      park.close();
      throw e;
    }
  }

  private void startAll(Options options) throws Exception {
    ParkSpec spec = KpiJobCommand.readPark(options.parkFile());
    Park park = spec.park();
    Path data = options.dataDir();

    // The demo is the secured plant in miniature: the shipped broker configuration with the park's
    // users and ACLs over TLS, InfluxDB with HTTPS and least-privilege users, every part with its
    // own identity and its password in a file of its own (data/secrets).
    PlantSecrets secrets = PlantSecrets.openOrCreate(data.resolve("secrets"));
    services = LocalServices.startSecured(data.resolve("services"), secrets, park, true);
    running.push(services);

    // The job subscribes before any gateway publishes, so that nothing is sent into the void.
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, KpiJobCommand.jobConfiguration());
    // Readings may trail the newest one by the agents' batching and sampling delays; in simulated
    // time those grow with the speed-up.
    Duration outOfOrderness = Duration.ofMillis((long) (5_000 * Math.max(1.0, options.speed())));
    KpiJob.Timing timing = KpiJob.Timing.DEFAULTS.withOutOfOrderness(outOfOrderness);
    if (options.speed() > 1) {
      // Simulated time runs ahead of the gateways' and the job's clocks: that is no machine clock
      // fault. Far-off times (a year 2100) are still refused.
      timing =
          timing
              .withClockTolerance(Duration.ofDays(36_500))
              .withSourceTimeBounds(Duration.ofDays(3_650), KpiJob.Timing.DEFAULTS.maxBehind());
    }
    KpiJobCommand.create(
            spec,
            services.broker().jobEndpoint(),
            services.influx().endpoint(Identities.KPI_JOB),
            LocalServices.DATABASE,
            timing,
            KpiJobCommand.SESSION_EXPIRY)
        .build(env);
    JobClient job = env.executeAsync("gemba-kpi");
    running.push(() -> cancel(job));

    Vertx vertx = Vertx.vertx();
    running.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
    DemoUsers demoUsers = demoUsers(vertx, park, data, secrets);
    ApiSecurity security = demoUsers.security();
    api =
        new ApiVerticle(
            park,
            new InfluxKpiStore(
                services.influx().endpoint(Identities.API),
                LocalServices.DATABASE,
                LocalServices.ACTIONS_DATABASE,
                Duration.ofSeconds(10)),
            security,
            List.of(),
            LiveFeed.start(vertx, services.broker().endpoint(Identities.API)),
            "127.0.0.1",
            options.httpPort());
    api.signIn(new SignIn(vertx, security, demoUsers.users(), demoUsers.passwords(), false));
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);

    TruthLog truth = new TruthLog(data.resolve("ground-truth.jsonl"));
    running.push(truth);
    SimClock clock = new SimClock(System.currentTimeMillis(), options.speed());
    // The simulated machines are secured as a plant's should be: SignAndEncrypt, a user account,
    // and certificates trusted both ways, which the demo sets up as a commissioning engineer would.
    Path simPki = data.resolve("simulator-pki");
    Path password = demoPassword(secrets.dir().resolve("opcua/demo.pass"));
    // Moulding machines answer Modbus TCP on loopback only: the protocol has no security of its
    // own, so a plant keeps it on the machine network (docs/gateway-config.md#modbus-tcp).
    int modbusPort = FreePorts.next();
    simulation =
        ParkSimulation.start(
            park,
            ServerSettings.plain("127.0.0.1", FreePorts.next())
                .withModbusPort(modbusPort)
                // Ten simulated minutes of every variable's past, for the gateways to read back
                // after an outage (docs/gateway-config.md#history-backfill).
                .withHistory(Duration.ofMinutes(10))
                .withSecurity(
                    ServerSecurity.securedOnly(
                        simPki, Map.of(DEMO_USER, Files.readString(password).strip()))),
            // Line stations publish on the same broker, under plant/..., as PLC gateways would.
            services.broker().endpoint(Identities.SIMULATED_STATIONS),
            clock,
            options.seed(),
            truth);
    running.push(simulation);

    // Closed first: agents send what they read before the broker and the job stop.
    for (Path file :
        GatewayFiles.write(
            park,
            data.resolve("gateways"),
            data.resolve("buffer"),
            factory ->
                new GatewayFiles.Brokers(
                    services.broker().endpoint(Identities.gateway(factory.id())),
                    services.broker().endpoint(Identities.gatewayStations(factory.id()))),
            options.gatewayEndpoint().apply(simulation.server().endpointUrl()),
            simulation.server().namespaceIndex(),
            DEMO_USER,
            password,
            "tcp://127.0.0.1:" + modbusPort)) {
      if (options.speed() > 1) {
        Files.writeString(file, GatewayFiles.withSimulatedClock(Files.readString(file)));
      }
      GatewayConfig config = GatewayConfig.load(file);
      trustEachOther(config, simPki);
      EdgeAgent agent = EdgeAgent.start(config);
      agents.add(agent);
      running.push(agent);
    }
    log.info("local park running dashboard={}/dashboard/", apiUrl());
  }

  /** Creates the gateway's certificate if needed and exchanges certificates with the simulator. */
  private static void trustEachOther(GatewayConfig config, Path simPki) throws IOException {
    try (ClientPki pki =
        ClientPki.open(config.pkiDir(), config.applicationUri(), config.gateway().id())) {
      install(
          pki.certificateFile(),
          simPki.resolve("trusted/certs").resolve(config.gateway().id() + ".der"));
      install(SimulatorServer.certificateFile(simPki), pki.trustedDir().resolve("simulator.der"));
    }
  }

  /**
   * Puts a certificate into a watched trust list in one step: written beside the folder, then moved
   * in, so the watcher never reads a half-written file.
   */
  private static void install(Path certificate, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path staging = target.getParent().resolveSibling("." + target.getFileName() + ".tmp");
    Files.copy(certificate, staging, StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The demo's OPC UA password: made once, random, readable by the owner only. */
  private static Path demoPassword(Path file) throws IOException {
    SecretFile.writeRandomIfAbsent(file, 18);
    return file;
  }

  /** Cancels the job and waits until it has stopped, so its sinks flush before InfluxDB stops. */
  private static void cancel(JobClient job) throws Exception {
    job.cancel().get(30, TimeUnit.SECONDS);
    try {
      // Completes when the job has stopped; for a cancelled job, exceptionally.
      job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException cancelled) {
      log.debug("kpi job stopped reason={}", cancelled.getCause().toString());
    }
  }

  /** The demo's API users, the security that knows them, and their passwords file. */
  private record DemoUsers(ApiSecurity security, UsersFile users, PasswordsFile passwords) {}

  /**
   * The demo's users, one per role (the engineer and the viewer of the first factory), in {@code
   * <data>/api/users.yaml}, with the signing key beside them. Each signs in with a random password
   * kept in {@code <secrets>/api/<user>.pass}; a token for each (a shift long, a month for the
   * viewer's wall screen) is written to {@code <data>/tokens/<role>.token}, owner-readable only.
   */
  private DemoUsers demoUsers(Vertx vertx, Park park, Path data, PlantSecrets secrets)
      throws IOException {
    String factory = park.factories().get(0).id();
    Path usersFile = data.resolve("api/users.yaml");
    Files.createDirectories(usersFile.getParent());
    Files.writeString(
        usersFile,
        "# Written by the demo: one user per role.\n"
            + "users:\n"
            + "  - { name: demo-operator, role: park-operator }\n"
            + "  - { name: demo-engineer, role: plant-engineer, factory: "
            + factory
            + " }\n"
            + "  - { name: demo-viewer, role: viewer, factory: "
            + factory
            + " }\n");
    UsersFile users = UsersFile.load(usersFile, park);
    PasswordsFile passwords = new PasswordsFile(data.resolve("api/passwords"));
    for (ApiUser user : users.users()) {
      Path file = secrets.dir().resolve("api").resolve(user.name() + ".pass");
      if (!Files.exists(file) || passwords.hashOf(user.name()).isEmpty()) {
        String password = SecretFile.random(12);
        SecretFile.writeOwnerOnly(file, password.getBytes(StandardCharsets.US_ASCII));
        passwords.set(user.name(), password.toCharArray());
      }
      demoPasswords.put(user.role(), file);
    }
    ApiSecurity security =
        new ApiSecurity(
            vertx, ApiSecurity.loadOrCreateKey(data.resolve("api/api.key")), users, 200);
    Path tokens = data.resolve("tokens");
    for (ApiUser user : users.users()) {
      String token =
          security.issue(user, user.role() == Role.VIEWER ? Duration.ofDays(30) : SignIn.SESSION);
      SecretFile.writeOwnerOnly(
          tokens.resolve(user.role().wireName() + ".token"),
          token.getBytes(StandardCharsets.US_ASCII));
      this.tokens.put(user.role(), token);
    }
    return new DemoUsers(security, users, passwords);
  }

  /** The file holding the sign-in password of the demo's user of {@code role}. */
  public Path passwordFile(Role role) {
    return demoPasswords.get(role);
  }

  /** The demo token of {@code role}, as written to {@code <data>/tokens/<role>.token}. */
  public String token(Role role) {
    return tokens.get(role);
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + api.actualPort();
  }

  /** The dashboard, signed in as the park operator (the token travels in the URL's fragment). */
  public String dashboardUrl() {
    return apiUrl() + "/dashboard/#token=" + tokens.get(Role.PARK_OPERATOR);
  }

  /** Tries, as an outsider, what the secured services must refuse; see {@link SecurityCheck}. */
  List<SecurityCheck.Result> securityCheck() {
    return SecurityCheck.run(services);
  }

  public LocalServices services() {
    return services;
  }

  public ParkSimulation simulation() {
    return simulation;
  }

  public List<EdgeAgent> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable part = running.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn(
            "stopping part failed part={} reason={}",
            part.getClass().getSimpleName(),
            e.toString());
      }
    }
  }
}
