package io.gemba.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The agent's metrics, in one registry served as Prometheus text. Names follow Prometheus
 * conventions ({@code gemba_edge_..._total} for counters).
 */
public final class EdgeMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter envelopesBuffered;
  private final Counter envelopesSent;
  private final Counter publishFailures;
  private final Counter reconnects;
  private final Counter southboundRejected;
  private final Counter sourceClockOff;
  private final List<Supplier<Number>> held = new CopyOnWriteArrayList<>();

  public EdgeMetrics(String gatewayId) {
    registry.config().commonTags("gateway", gatewayId);
    // The process itself: a gateway runs for months, so its memory and threads are watched too.
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    envelopesBuffered =
        Counter.builder("gemba.edge.envelopes.buffered")
            .description("Envelopes written to the store-and-forward buffer")
            .register(registry);
    envelopesSent =
        Counter.builder("gemba.edge.envelopes.sent")
            .description("Envelopes the broker acknowledged")
            .register(registry);
    publishFailures =
        Counter.builder("gemba.edge.publish.failures")
            .description("Publish rounds that failed and will be retried")
            .register(registry);
    reconnects =
        Counter.builder("gemba.edge.uplink.reconnects")
            .description("Reconnections to the broker after a lost connection")
            .register(registry);
    southboundRejected =
        Counter.builder("gemba.edge.southbound.rejected")
            .description("Machine messages or fields that could not be read (see the log)")
            .register(registry);
    sourceClockOff =
        Counter.builder("gemba.edge.source.clock.off")
            .description(
                "Readings whose source timestamp was further from the agent's clock than the"
                    + " gateway's sourceClock.tolerance")
            .register(registry);
  }

  public void sourceClockOff() {
    sourceClockOff.increment();
  }

  public double sourceClockOffCount() {
    return sourceClockOff.count();
  }

  public void southboundRejected() {
    southboundRejected.increment();
  }

  public double southboundRejectedCount() {
    return southboundRejected.count();
  }

  public void envelopeBuffered() {
    envelopesBuffered.increment();
  }

  public void envelopesSent(int n) {
    envelopesSent.increment(n);
  }

  public void publishFailed() {
    publishFailures.increment();
  }

  public void reconnected() {
    reconnects.increment();
  }

  /** Registers a counter whose running total {@code value} reports at every scrape. */
  public void counter(String name, String description, Supplier<Number> value, String... tags) {
    // Micrometer holds the object of a function counter weakly, and the supplier is often a
    // method reference no one else holds: once collected, the counter would stop counting.
    held.add(value);
    FunctionCounter.builder(name, value, v -> v.get().doubleValue())
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /** Registers a gauge read from {@code value} at every scrape. */
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(registry);
  }

  public double envelopesSent() {
    return envelopesSent.count();
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
