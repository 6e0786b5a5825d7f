package io.gemba.edge.southbound;

import io.gemba.edge.config.MachineSource;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.modbus.ModbusMachineReader;
import io.gemba.edge.southbound.mqtt.MqttMachineReader;
import io.gemba.edge.southbound.mqtt.SouthboundConnections;
import io.gemba.edge.southbound.opcua.ClientPki;
import io.gemba.edge.southbound.opcua.OpcUaMachineReader;
import io.gemba.edge.southbound.sparkplug.SparkplugMachineReader;
import io.gemba.model.envelope.MachineRef;

/**
 * Picks the reader of a machine by the protocol its gateway-file entry names, and gives it what
 * readers of that protocol share: the gateway's OPC UA certificate, the machine-side MQTT
 * connections, the metrics.
 *
 * @param pki the gateway's OPC UA certificate and trust lists; null when no machine is secured
 */
public record MachineReaders(
    ClientPki pki, SouthboundConnections brokers, EdgeMetrics metrics, ReadingSink sink) {

  /** A reader of {@code machine}, not started yet. */
  public MachineReader open(MachineRef ref, MachineSource machine) {
    if (machine.opcua() != null) {
      OpcUaMachineReader reader =
          new OpcUaMachineReader(ref, machine.opcua(), pki, sink, metrics::southboundRejected);
      metrics.counter(
          "gemba.edge.opcua.backfilled.values",
          "Values read back from an OPC UA server's history after a lost connection",
          reader::backfilledValues,
          "machine",
          ref.id());
      metrics.counter(
          "gemba.edge.opcua.backfill.failures",
          "History reads after a lost connection that failed or stopped at a bound",
          reader::backfillFailures,
          "machine",
          ref.id());
      return reader;
    }
    if (machine.mqtt() != null) {
      return new MqttMachineReader(ref, machine.mqtt(), sink, metrics, brokers);
    }
    if (machine.modbus() != null) {
      return new ModbusMachineReader(ref, machine.modbus(), sink, metrics);
    }
    return new SparkplugMachineReader(ref, machine.sparkplug(), sink, metrics, brokers);
  }
}
