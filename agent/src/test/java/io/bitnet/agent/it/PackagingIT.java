package io.bitnet.agent.it;

import io.bitnet.testing.ChildJvm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The jars as built: layout, manifest, shading, and a run with no flag at all. */
class PackagingIT {

  @Test
  void agentJarHasTheUpstreamManifestFirstAndTheExtensionEmbedded() throws Exception {
    try (ZipFile agent = new ZipFile(AgentHarness.AGENT.toFile());
        ZipFile upstream = new ZipFile(AgentHarness.UPSTREAM_AGENT.toFile())) {
      List<String> names = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = agent.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
      String firstFile = names.stream().filter(n -> !n.endsWith("/")).findFirst().orElseThrow();
      assertEquals("META-INF/MANIFEST.MF", firstFile);
      assertArrayEquals(upstream.getInputStream(upstream.getEntry("META-INF/MANIFEST.MF")).readAllBytes(),
          agent.getInputStream(agent.getEntry("META-INF/MANIFEST.MF")).readAllBytes(), "byte-identical manifest");
      assertNotNull(agent.getEntry("extensions/bitnet-extension.jar"));
      List<String> added = new ArrayList<>();
      for (String n : names) {
        if (upstream.getEntry(n) == null) {
          added.add(n);
        }
      }
      assertEquals(List.of("extensions/", "extensions/bitnet-extension.jar", "io/bitnet/", "io/bitnet/agent/",
          "io/bitnet/agent/bootstrap/", "io/bitnet/agent/bootstrap/KernelDurations$Series.class",
          "io/bitnet/agent/bootstrap/KernelDurations.class"), added.stream().sorted().toList(),
          "upstream entries plus the extension and the bootstrap classes at the root");
      assertEquals(upstream.size() + added.size(), agent.size(), "every upstream entry kept");
    }
  }

  @Test
  void extensionBundlesOshiAndSlf4jRelocatedAndJnaAsIs() throws Exception {
    try (ZipFile ext = new ZipFile(AgentHarness.EXTENSION.toFile())) {
      List<String> names = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = ext.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
      assertTrue(names.stream().anyMatch(n -> n.startsWith("io/bitnet/agent/shaded/oshi/")));
      assertTrue(names.stream().anyMatch(n -> n.startsWith("io/bitnet/agent/shaded/slf4j/")));
      assertFalse(names.stream().anyMatch(n -> n.startsWith("oshi/") || n.startsWith("org/slf4j/")));
      assertTrue(names.contains("com/sun/jna/Native.class"), "JNA stays in its own package");
      assertFalse(names.stream().anyMatch(n -> n.startsWith("io/opentelemetry/") || n.startsWith("io/bitnet/kernels/")
          || n.startsWith("io/bitnet/runtime/")), "the agent and the application bring those");
    }
  }

  @Test
  void runsWithNoFlagAndPublishesResourceAttributes() throws Exception {
    // the README's "no other flag" run: only the application's own --port 0 and the small tiny model
    try (ChildJvm jvm = ChildJvm.start(ChildJvm.command(ChildJvm.java(), "-javaagent:" + AgentHarness.AGENT,
        "-jar", AgentHarness.SAMPLE_APP.toString(), "--model", "tiny", "--port", "0"))) {
      int port = Integer.parseInt(jvm.awaitGroup(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"),
          AgentHarness.STARTUP));
      jvm.awaitLine(l -> l.contains(" ready in "), AgentHarness.STARTUP);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"plain\",\"max_tokens\":3}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), jvm.output());
      PrometheusScrape m = PrometheusScrape.fetch(9464); // the distribution's default, on 127.0.0.1
      PrometheusScrape.Sample target = m.series("target_info").get(0);
      assertEquals("bitnet-inference-server", target.labels().get("service_name"));
      assertEquals("i2_s,tl1,tl2", target.labels().get("bitnet_quantization_formats"));
      assertTrue(target.labels().get("bitnet_device_capabilities").startsWith("cpu:"));
      assertTrue(target.labels().get("bitnet_device_capabilities").endsWith(";gpu:none"));
      assertNotNull(target.labels().get("bitnet_agent_version"));
      assertEquals(1, m.sum("bitnet_inference_requests_total", "status", "ok"));
    }
  }
}
