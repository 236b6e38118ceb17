package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitnet.kernels.internal.NativeKernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The system properties and the native-library fallback, each in a fresh child JVM. */
class BackendSelectionTest {

  @Test
  void automaticSelectionPicksTheBestNativeBackend() throws Exception {
    assumeTrue(NativeKernels.isLoaded());
    Map<String, String> r = probe();
    KernelBackend best = BitNetKernels.supportedBackends().iterator().next();
    assertEquals(best.name(), r.get("backend"));
    assertEquals("", r.get("fallback"));
  }

  @Test
  void propertyForcesEachSupportedBackend() throws Exception {
    for (KernelBackend b : BitNetKernels.supportedBackends()) {
      Map<String, String> r = probe("-Dbitnet.kernels.backend=" + b.simd());
      assertEquals(b.name(), r.get("backend"), "forced " + b.simd());
      assertEquals("", r.get("fallback"));
    }
  }

  @Test
  void everyBackendComputesTheSameOutput() throws Exception {
    String expected = null;
    for (KernelBackend b : BitNetKernels.supportedBackends()) {
      String out0 = probe("-Dbitnet.kernels.backend=" + b.simd()).get("out0");
      if (expected == null) {
        expected = out0;
      }
      assertEquals(expected, out0, b + " output");
    }
  }

  @Test
  void invalidPropertiesFallBackWithAReason() throws Exception {
    Map<String, String> r = probe("-Dbitnet.kernels.backend=gpu9000", "-Dbitnet.kernels.threads=lots");
    assertTrue(r.get("fallback").contains("gpu9000"), r.toString());
    assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), r.get("threads"));
    assertTrue(r.containsKey("out0"), "the application still ran: " + r);
  }

  @Test
  void missingNativeLibraryFallsBackToJavaAndSaysWhy() throws Exception {
    // JNA searches nothing: no system paths, no classpath resource.
    Map<String, String> r = probe("-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.library.path=/nonexistent");
    assertEquals("JAVA", r.get("backend"));
    assertTrue(r.get("fallback").contains("bitnetkernels"), "reason names the library: " + r);
    assertTrue(r.containsKey("out0"), "the Java backend ran: " + r);
  }

  @Test
  void threadsPropertyIsRead() throws Exception {
    assertEquals("3", probe("-Dbitnet.kernels.threads=3").get("threads"));
  }

  private static Map<String, String> probe(String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SelectionProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
    assertEquals(0, p.exitValue(), "probe JVM failed:\n" + output);
    Map<String, String> result = new HashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        result.put(line.substring(0, eq), line.substring(eq + 1));
      } else if (line.startsWith("fallback=") || line.startsWith("backend=")) {
        result.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return result;
  }
}
