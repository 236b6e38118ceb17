package io.bitnet.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The catalog list of these tests is the one docs/telemetry.md (and docs/health.md) publish. */
class CatalogTest {

  private static final Pattern NAME = Pattern.compile("`((?:bitnet|gen_ai)_\\w+)`");

  @Test
  void theCatalogIsTheDocumentedOne() {
    Map<String, Catalog.Type> documented = documented("docs/telemetry.md");
    Map<String, Catalog.Type> catalog = new TreeMap<>();
    Catalog.METRICS.forEach(m -> catalog.put(m.name(), m.type()));
    assertEquals(documented, catalog);

    // docs/health.md repeats the health metrics: the same names and types
    Map<String, Catalog.Type> health = documented("docs/health.md");
    assertTrue(!health.isEmpty() && catalog.entrySet().containsAll(health.entrySet()), "docs/health.md: " + health);
  }

  @Test
  void onlyTheGpuMetricsNeedAGpu() {
    Catalog.METRICS.forEach(m -> assertEquals(m.name().startsWith("bitnet_gpu_"), m.gpuOnly(), m.name()));
  }

  /** Names and types of the metric tables: a row whose first cell names metrics and whose second says the type. */
  private static Map<String, Catalog.Type> documented(String path) {
    Map<String, Catalog.Type> out = new TreeMap<>();
    for (String line : DeployFiles.read(DeployFiles.repo().resolve(path)).split("\n")) {
      if (!line.startsWith("|")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 3) {
        continue;
      }
      Matcher m = NAME.matcher(cells[1]);
      String type = cells[2].toLowerCase(java.util.Locale.ROOT);
      while (m.find()) {
        Catalog.Type t = type.contains("histogram") ? Catalog.Type.HISTOGRAM
            : type.contains("counter") && !type.contains("up-down") ? Catalog.Type.COUNTER
            : Catalog.Type.GAUGE;
        out.put(m.group(1), t);
      }
    }
    return out;
  }
}
