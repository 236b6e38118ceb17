package io.bitnet.it.deploy;

import static io.bitnet.it.deploy.DeployFiles.at;
import static io.bitnet.it.deploy.DeployFiles.list;
import static io.bitnet.it.deploy.DeployFiles.map;
import static io.bitnet.it.deploy.DeployFiles.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: the Deployment, Service, ServiceMonitor and PrometheusRule, parsed and checked. */
class KubernetesManifestsTest {

  private final Map<String, Map<?, ?>> byKind = load();

  private static Map<String, Map<?, ?>> load() {
    Map<String, Map<?, ?>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(DeployFiles.deploy("kubernetes"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : DeployFiles.yamlAll(f)) {
          Map<?, ?> m = map(doc, f.toString());
          String kind = str(m.get("kind"), f + ": kind");
          assertTrue(out.put(kind, m) == null, "one " + kind);
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  private Map<?, ?> kind(String kind) {
    Map<?, ?> m = byKind.get(kind);
    assertNotNull(m, "no " + kind + " in deploy/kubernetes (found " + byKind.keySet() + ")");
    return m;
  }

  private Map<?, ?> container() {
    List<?> containers = list(at(kind("Deployment"), "spec", "template", "spec", "containers"), "containers");
    assertEquals(1, containers.size());
    return map(containers.get(0), "container");
  }

  /** Container port name to number. */
  private Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : list(container().get("ports"), "ports")) {
      ports.put(str(map(p, "port").get("name"), "port name"), (Integer) map(p, "port").get("containerPort"));
    }
    return ports;
  }

  private int resolvePort(Object port) {
    if (port instanceof Integer i) {
      return i;
    }
    Integer n = containerPorts().get(str(port, "port"));
    assertNotNull(n, "no container port named " + port);
    return n;
  }

  @Test
  void theKindsAndTheirApiVersions() {
    assertEquals(Map.of("Deployment", "apps/v1", "Service", "v1", "ServiceMonitor", "monitoring.coreos.com/v1",
            "PrometheusRule", "monitoring.coreos.com/v1"),
        Map.of("Deployment", at(kind("Deployment"), "apiVersion"), "Service", at(kind("Service"), "apiVersion"),
            "ServiceMonitor", at(kind("ServiceMonitor"), "apiVersion"),
            "PrometheusRule", at(kind("PrometheusRule"), "apiVersion")));
    assertEquals(4, byKind.size(), "kinds: " + byKind.keySet());
    byKind.forEach((k, m) -> assertTrue(at(m, "metadata", "name") instanceof String s && !s.isBlank(), k + " name"));
  }

  @Test
  void theDeploymentRunsTheSampleServerWithTheAgent() {
    Map<?, ?> c = container();
    assertTrue(c.get("image") instanceof String s && !s.isBlank(), "image");
    List<?> command = list(c.get("command"), "command");
    assertEquals(List.of("java", "-javaagent:/opt/bitnet-agent.jar", "-jar", "/opt/sample-inference-app.jar", "--host", "0.0.0.0"),
        command);

    Map<String, Object> env = new LinkedHashMap<>();
    Set<String> definedSoFar = new HashSet<>();
    Pattern reference = Pattern.compile("\\$\\((\\w+)\\)");
    for (Object e : list(c.get("env"), "env")) {
      String name = str(map(e, "env").get("name"), "env name");
      Object value = map(e, "env").get("value");
      env.put(name, value);
      if (value instanceof String s) {
        Matcher m = reference.matcher(s);
        while (m.find()) {
          assertTrue(definedSoFar.contains(m.group(1)), name + " uses $(" + m.group(1) + ") before it is defined");
        }
      } else {
        assertNotNull(map(e, "env").get("valueFrom"), name + " has a value");
      }
      definedSoFar.add(name);
    }
    assertEquals("0.0.0.0", env.get("OTEL_EXPORTER_PROMETHEUS_HOST"), "metrics reachable from Prometheus");
    assertEquals("0.0.0.0", env.get("BITNET_MANAGEMENT_HOST"), "probes reachable from the kubelet");

    assertEquals(Map.of("http", 8080, "metrics", 9464, "management", 9465), containerPorts());

    Map<?, ?> resources = map(c.get("resources"), "resources");
    for (String side : List.of("requests", "limits")) {
      assertNotNull(at(resources, side, "cpu"), side + ".cpu");
      assertNotNull(at(resources, side, "memory"), side + ".memory");
    }
  }

  @Test
  void probesAskTheManagementPort() {
    Map<?, ?> c = container();
    Map<String, String> paths = Map.of("startupProbe", "/health/started", "livenessProbe", "/health/live",
        "readinessProbe", "/health/ready");
    paths.forEach((probe, path) -> {
      Object get = at(c, probe, "httpGet");
      assertNotNull(get, probe + ".httpGet");
      assertEquals(path, at(get, "path"), probe);
      assertEquals(9465, resolvePort(at(get, "port")), probe + " port");
    });
    // the startup probe gives a model load time: at least a minute
    Object period = at(c, "startupProbe", "periodSeconds");
    Object failures = at(c, "startupProbe", "failureThreshold");
    assertTrue(period instanceof Integer p && failures instanceof Integer f && p * f >= 60, "startup budget");
  }

  @Test
  void selectorsMatchTheirLabels() {
    Map<?, ?> deployment = kind("Deployment");
    Map<?, ?> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"), "pod labels");
    Map<?, ?> selector = map(at(deployment, "spec", "selector", "matchLabels"), "deployment selector");
    assertTrue(!selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet()), "Deployment selector " + selector);

    Map<?, ?> service = kind("Service");
    Map<?, ?> serviceSelector = map(at(service, "spec", "selector"), "service selector");
    assertTrue(!serviceSelector.isEmpty() && podLabels.entrySet().containsAll(serviceSelector.entrySet()),
        "Service selector " + serviceSelector);

    Map<?, ?> monitor = kind("ServiceMonitor");
    Map<?, ?> serviceLabels = map(at(service, "metadata", "labels"), "service labels");
    Map<?, ?> monitorSelector = map(at(monitor, "spec", "selector", "matchLabels"), "monitor selector");
    assertTrue(!monitorSelector.isEmpty() && serviceLabels.entrySet().containsAll(monitorSelector.entrySet()),
        "ServiceMonitor selector " + monitorSelector);
  }

  @Test
  void theServiceMonitorScrapesTheMetricsPortAsJobBitnetAgent() {
    Map<?, ?> service = kind("Service");
    Map<String, Integer> servicePortTargets = new LinkedHashMap<>();
    for (Object p : list(at(service, "spec", "ports"), "service ports")) {
      servicePortTargets.put(str(map(p, "port").get("name"), "port name"), resolvePort(map(p, "port").get("targetPort")));
    }
    assertEquals(9464, servicePortTargets.get("metrics"), "the Service exposes the metrics port");
    assertEquals(8080, servicePortTargets.get("http"), "the Service exposes the API");

    Map<?, ?> monitor = kind("ServiceMonitor");
    List<?> endpoints = list(at(monitor, "spec", "endpoints"), "endpoints");
    assertEquals(1, endpoints.size());
    assertEquals("metrics", at(endpoints.get(0), "port"));
    assertEquals("/metrics", at(endpoints.get(0), "path"));

    // Prometheus names the job after the Service label that jobLabel names: the alert rules want bitnet-agent
    String jobLabel = str(at(monitor, "spec", "jobLabel"), "jobLabel");
    assertEquals("bitnet-agent", at(service, "metadata", "labels", jobLabel));
    String targetDown = DeployFiles.rules(DeployFiles.prometheus("alert-rules.yml")).stream()
        .filter(r -> "BitNetMetricsTargetDown".equals(r.get("alert"))).map(r -> str(r.get("expr"), "expr"))
        .findFirst().orElseThrow();
    assertTrue(targetDown.contains("job=\"bitnet-agent\""), targetDown);
  }

  @Test
  void thePrometheusRuleCarriesExactlyTheRulesOfDeployPrometheus() {
    List<Object> expected = new ArrayList<>();
    expected.addAll(DeployFiles.ruleGroups(DeployFiles.prometheus("recording-rules.yml")));
    expected.addAll(DeployFiles.ruleGroups(DeployFiles.prometheus("alert-rules.yml")));
    List<?> actual = list(at(kind("PrometheusRule"), "spec", "groups"), "PrometheusRule groups");
    String stale = "deploy/kubernetes/prometheus-rule.yaml is out of date: run deploy/kubernetes/generate-prometheus-rule.sh";
    assertEquals(expected.size(), actual.size(), stale + " (groups)");
    for (int g = 0; g < expected.size(); g++) {
      Map<?, ?> want = map(expected.get(g), "group");
      Map<?, ?> got = map(actual.get(g), "group");
      assertEquals(want.get("name"), got.get("name"), stale);
      List<?> wantRules = list(want.get("rules"), "rules");
      List<?> gotRules = list(got.get("rules"), "rules");
      for (int r = 0; r < Math.min(wantRules.size(), gotRules.size()); r++) {
        assertEquals(wantRules.get(r), gotRules.get(r), stale + " (group " + want.get("name") + ", rule " + r + ")");
      }
      assertEquals(want, got, stale + " (group " + want.get("name") + ")");
    }
    assertEquals(expected, actual, stale);
  }
}
