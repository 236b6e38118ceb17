package io.bitnet.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code bitnet.device.capabilities} resource attribute, e.g.
 * {@code cpu:avx512f,avx512vnni,avx2;gpu:none}. Read from /proc/cpuinfo and NVML at start; the agent
 * does not load the application's kernel library to find out.
 */
final class DeviceCapabilities {

  private static final List<String> FLAGS = List.of("avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "avx2", "fma");

  private DeviceCapabilities() {}

  static String describe() {
    return "cpu:" + String.join(",", cpuFlags()) + ";gpu:" + io.bitnet.agent.system.Nvml.describeGpus();
  }

  static Set<String> cpuFlags() {
    Set<String> found = new LinkedHashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          for (String f : FLAGS) {
            if (flags.contains(f)) {
              found.add(f.equals("avx512_vnni") ? "avx512vnni" : f);
            }
          }
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      found.add("unknown");
    }
    if (found.isEmpty()) {
      found.add("baseline");
    }
    return found;
  }
}
