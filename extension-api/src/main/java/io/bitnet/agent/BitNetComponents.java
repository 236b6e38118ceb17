package io.bitnet.agent;

import io.bitnet.agent.anomaly.AnomalyDetector;
import io.bitnet.agent.anomaly.AnomalyReporter;
import io.bitnet.agent.anomaly.RequestObserver;
import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.dashboard.DashboardApi;
import io.bitnet.agent.dashboard.DashboardEndpoints;
import io.bitnet.agent.dashboard.DashboardReader;
import io.bitnet.agent.dashboard.DashboardSampler;
import io.bitnet.agent.dashboard.TraceBuffer;
import io.bitnet.agent.config.BitNetConfigHolder;
import io.bitnet.agent.health.HealthMetrics;
import io.bitnet.agent.health.HealthRegistry;
import io.bitnet.agent.health.HealthReport;
import io.bitnet.agent.health.Probe;
import io.bitnet.agent.management.HealthHandler;
import io.bitnet.agent.management.ManagementServer;
import io.bitnet.agent.sla.SlaMetrics;
import io.bitnet.agent.sla.SlaTracker;
import io.bitnet.agent.system.GpuMetrics;
import io.bitnet.agent.system.GpuSource;
import io.bitnet.agent.system.Host;
import io.bitnet.agent.system.Nvml;
import io.bitnet.agent.system.SystemMetrics;
import io.bitnet.agent.telemetry.Instruments;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The SDK-side components that derive state from the agent's own telemetry (health, SLA, system and
 * GPU metrics, the management server). Registered while the SDK is configured, started once it exists.
 * One per agent: the configuration hook and the agent listener are separate service instances.
 *
 * <p>Every step is guarded: a failure is one warning ({@code bitnet-agent: ...}) and the application
 * runs on without that part.
 */
public final class BitNetComponents {

  static final String METER_NAME = "io.bitnet.agent";

  private static final Logger LOG = Logger.getLogger(BitNetComponents.class.getName());
  private static final BitNetComponents INSTANCE =
      new BitNetComponents(BitNetConfigHolder::get, Clock.getDefault(), Nvml.source());

  /**
   * The trackers fed by span processors and the dashboard's reader; created once, on first use. The
   * reader and trace buffer are null when the dashboard is off.
   */
  private record Trackers(BitNetConfig config, HealthRegistry health, SlaTracker sla, AnomalyReporter anomalies,
      DashboardReader reader, TraceBuffer traces) {}

  private final Supplier<BitNetConfig> configSource;
  private final Clock clock;
  private final GpuSource gpus;
  private final Host host = new Host();
  private final List<AutoCloseable> instruments = new ArrayList<>(); // guarded by this
  private Trackers trackers; // guarded by this
  private ManagementServer server; // guarded by this
  private boolean started; // guarded by this
  private String serviceName = "unknown_service:java"; // guarded by this

  BitNetComponents(Supplier<BitNetConfig> configSource, Clock clock, GpuSource gpus) {
    this.configSource = configSource;
    this.clock = clock;
    this.gpus = gpus;
  }

  public static BitNetComponents get() {
    return INSTANCE;
  }

  /** The service name the dashboard shows, from the SDK's resource. */
  synchronized void serviceName(String name) {
    if (name != null && !name.isBlank()) {
      serviceName = name;
    }
  }

  /** Adds the span processors that health and SLA consume. */
  synchronized SdkTracerProviderBuilder addSpanProcessors(SdkTracerProviderBuilder builder) {
    try {
      Trackers t = trackers();
      for (SpanProcessor p : t.health().spanProcessors()) {
        builder.addSpanProcessor(p);
      }
      builder.addSpanProcessor(t.sla());
    } catch (RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: health and SLA span processors not registered: " + e);
    }
    try {
      Trackers t = trackers();
      if (t.traces() != null) {
        builder.addSpanProcessor(t.traces());
      }
      if (t.config().anomaly().enabled()) {
        builder.addSpanProcessor(new RequestObserver(t.anomalies()));
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: dashboard trace list and request anomaly detection not registered: " + e);
    }
    return builder;
  }

  /** Adds the dashboard's pull reader (the dashboard's charts and the accuracy anomalies read through it). */
  synchronized SdkMeterProviderBuilder addMetricReader(SdkMeterProviderBuilder builder) {
    try {
      DashboardReader reader = trackers().reader();
      if (reader != null) {
        builder.registerMetricReader(reader);
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: dashboard metric reader not registered, the dashboard's charts stay empty: " + e);
    }
    return builder;
  }


  /** Creates the instruments and starts the management server, once. Never throws. */
  synchronized void start(OpenTelemetrySdk sdk) {
    if (started) {
      return;
    }
    started = true;
    Trackers t;
    Meter meter;
    try {
      t = trackers();
      meter = sdk.getMeter(METER_NAME);
    } catch (RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: components failed to start: " + e);
      return;
    }
    HealthMetrics health = register("health metrics", () -> HealthMetrics.register(meter, t.health()));
    register("SLA metrics", () -> SlaMetrics.register(meter, t.sla()));
    register("system metrics", () -> SystemMetrics.register(meter, host));
    register("GPU metrics", () -> GpuMetrics.register(meter, gpus));
    register("anomaly metrics", () -> t.anomalies().registerMetrics(meter));
    Function<Probe, HealthReport> evaluate = health != null ? health::evaluate : t.health()::evaluate;
    DashboardApi dashboard = null;
    if (t.reader() != null) {
      DashboardSampler sampler = new DashboardSampler(t.reader(), host, t.anomalies(),
          t.config().dashboard().interval().toMillis(), t.config().dashboard().history());
      sampler.start();
      instruments.add(sampler);
      dashboard = new DashboardApi(serviceName, t.config().captureContent(), sampler, t.traces(), t.anomalies(),
          () -> evaluate.apply(Probe.HEALTH), t.sla());
    }
    if (t.config().managementEnabled()) {
      server = startServer(t.config(), evaluate, dashboard);
    }
  }

  private Trackers trackers() {
    if (trackers == null) {
      BitNetConfig config = configSource.get();
      boolean dashboard = config.dashboard().enabled();
      trackers = new Trackers(config, new HealthRegistry(config.stallTimeout(), host, gpus),
          new SlaTracker(config, clock), new AnomalyReporter(new AnomalyDetector(config.anomaly())),
          dashboard ? new DashboardReader() : null, dashboard ? new TraceBuffer(config.dashboard().traces()) : null);
    }
    return trackers;
  }

  /** Registers one set of instruments; a failure is one warning. */
  private <T extends AutoCloseable> T register(String what, Supplier<T> registration) {
    try {
      T registered = registration.get();
      if (registered != null) {
        instruments.add(registered);
      }
      return registered;
    } catch (RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: " + what + " not registered: " + e);
      return null;
    }
  }

  private static ManagementServer startServer(BitNetConfig config,
      Function<Probe, HealthReport> health, DashboardApi dashboard) {
    String where = config.managementHost() + ":" + config.managementPort();
    try {
      ManagementServer.Builder builder = ManagementServer.builder()
          .host(config.managementHost())
          .port(config.managementPort());
      for (Probe probe : Probe.values()) {
        builder.handler(probe.path(), new HealthHandler(probe, health));
      }
      if (dashboard != null) {
        DashboardEndpoints.handlers(dashboard).forEach(builder::handler);
      }
      return builder.buildAndStart();
    } catch (IOException | RuntimeException | LinkageError e) {
      LOG.warning("bitnet-agent: management server not started on " + where + " (" + e
          + "); the health endpoints are unavailable, the application runs on");
      return null;
    }
  }

  /** The management server's port, or -1 when it is not running. */
  synchronized int managementPort() {
    return server == null ? -1 : server.getPort();
  }

  /** Stops the server and the instruments' callbacks (for tests; the agent's threads are daemons). */
  synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
    Instruments.closeAll(instruments);
  }
}
