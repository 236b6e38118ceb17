package io.bitnet.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What Linux's {@code /proc} says of a child process: its CPU time, its threads, and the CPU of named threads. */
final class ProcStats {

  /**
   * Name prefixes of the threads that bitnet-agent and the exporters it configures start, as the
   * kernel keeps them (15 characters at most). The JDK HTTP servers' own dispatcher threads carry one
   * name for every server in the process, so the agent's two servers' dispatchers are not counted.
   */
  static final List<String> AGENT_THREADS = List.of("bitnet-manage", "bitnet-dashboa", "prometheus-http",
      "BatchSpanProce", "PeriodicMetric");

  /** The JIT compiler threads' names, as the kernel keeps them. */
  static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

  private ProcStats() {}

  /** utime + stime of a process, all threads, in clock ticks (100 per second on Linux). */
  static long cpuTicks(long pid) throws IOException {
    String[] f = statFields(pid);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Whether the process is stopped (state T: SIGSTOP). */
  static boolean stopped(long pid) throws IOException {
    return statFields(pid)[0].equals("T");
  }

  /** The fields of {@code /proc/PID/stat} after the command name, which may hold spaces: state first. */
  private static String[] statFields(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** The process's thread count, or 0 when it is gone. */
  static int threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone
    }
    return 0;
  }

  /**
   * Nanoseconds on CPU so far of each live thread whose name starts with one of {@code prefixes}, by
   * thread id. {@code schedstat} counts in nanoseconds, where {@code stat} counts 10 ms ticks: the
   * agent's threads use a few milliseconds in a measured window.
   */
  static Map<Long, Long> threadCpuNanos(long pid, List<String> prefixes) throws IOException {
    Map<Long, Long> byThread = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (prefixes.stream().anyMatch(name::startsWith)) {
            String schedstat = Files.readString(task.resolve("schedstat"));
            byThread.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(schedstat.split(" ")[0]));
          }
        } catch (IOException e) {
          // the thread ended while we read it
        }
      }
    }
    return byThread;
  }

  /** CPU nanoseconds the threads alive at {@code end} used since {@code start} (a thread new since then from 0). */
  static long cpuNanosBetween(Map<Long, Long> start, Map<Long, Long> end) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : end.entrySet()) {
      sum += e.getValue() - start.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }
}
