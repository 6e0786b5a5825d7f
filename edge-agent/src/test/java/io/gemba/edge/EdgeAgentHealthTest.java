package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemba.edge.metrics.MetricsServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeAgentHealthTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void upOnlyWithTheUplinkAndEveryMachine_andTheJsonNamesEach() throws Exception {
    Map<String, Boolean> machines = new LinkedHashMap<>();
    machines.put("cnc-07", true);
    machines.put("robot-\"2\"", false);

    MetricsServer.Health degraded = EdgeAgent.health(true, 12, machines);
    assertThat(degraded.healthy()).isFalse();
    JsonNode json = JSON.readTree(degraded.json());
    assertThat(json.get("status").asText()).isEqualTo("DEGRADED");
    assertThat(json.get("uplink").asText()).isEqualTo("connected");
    assertThat(json.get("bufferDepth").asLong()).isEqualTo(12);
    // A quote in an id stays inside its string: the report is JSON whatever the ids are.
    assertThat(json.get("machines").get("robot-\"2\"").asText()).isEqualTo("disconnected");
    assertThat(json.get("machines").get("cnc-07").asText()).isEqualTo("connected");

    machines.put("robot-\"2\"", true);
    assertThat(EdgeAgent.health(true, 0, machines).healthy()).isTrue();
    assertThat(JSON.readTree(EdgeAgent.health(false, 0, machines).json()).get("status").asText())
        .isEqualTo("DEGRADED");
  }
}
