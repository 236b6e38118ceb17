package io.bitnet.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The upstream instrumentations that {@code bitnet.lean=true} keeps: what an inference server needs for
 * its own telemetry and for whole traces, whichever common framework serves it. Every other upstream
 * instrumentation (databases, caches, messaging, job schedulers, cloud SDKs, older web frameworks) stays
 * uninstalled, which is where lean saves its startup time. Users enable one back with
 * {@code -Dotel.instrumentation.NAME.enabled=true}.
 *
 * <p>The names are upstream's instrumentation names for agent 2.31.1; an unknown name would be ignored
 * silently, so the agent's integration test checks that each one is installed.
 */
public final class LeanInstrumentations {

  /** The application's own OpenTelemetry API calls, {@code @WithSpan} and configured methods. */
  public static final List<String> API = List.of("opentelemetry-api", "opentelemetry-instrumentation-api",
      "opentelemetry-instrumentation-annotations", "opentelemetry-extension-annotations",
      "opentelemetry-extension-kotlin", "methods");

  /** HTTP and gRPC servers: the request span the inference span hangs under, and incoming context. */
  public static final List<String> SERVERS = List.of("java-http-server", "servlet", "tomcat", "jetty", "undertow",
      "netty", "reactor-netty", "spring-web", "spring-webmvc", "spring-webflux", "vertx-web", "jaxrs", "javalin",
      "ktor", "grpc", "armeria");

  /** HTTP clients: context passed on to the services the server calls. */
  public static final List<String> CLIENTS = List.of("java-http-client", "http-url-connection", "okhttp",
      "apache-httpclient");

  /** Context across threads, reactive pipelines and coroutines. */
  public static final List<String> CONTEXT = List.of("executors", "reactor", "kotlinx-coroutines");

  /** Trace ids in the application's logs, and its logs through the agent's log exporter. */
  public static final List<String> LOGS = List.of("logback-mdc", "logback-appender", "log4j-context-data",
      "log4j-appender");

  private LeanInstrumentations() {}

  /** Every kept name: the groups above. BitNet's own instrumentations are kept as well. */
  public static List<String> names() {
    return Stream.of(API, SERVERS, CLIENTS, CONTEXT, LOGS).flatMap(List::stream).toList();
  }

  /** The agent properties of the lean setting: upstream instrumentations off by default, these on. */
  static Map<String, String> properties() {
    Map<String, String> p = new HashMap<>();
    p.put("otel.instrumentation.common.default-enabled", "false");
    p.put("otel.instrumentation.bitnet.enabled", "true");
    p.put("otel.instrumentation.runtime-telemetry.enabled", "true");
    for (String name : names()) {
      p.put("otel.instrumentation." + name + ".enabled", "true");
    }
    return Map.copyOf(p);
  }
}
