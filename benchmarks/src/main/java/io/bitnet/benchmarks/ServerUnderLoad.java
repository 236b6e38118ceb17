package io.bitnet.benchmarks;

import io.bitnet.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One sample server of the overhead benchmarks, driven by the sample app's load generator: started and
 * timed to its "ready" line, loaded, measured over a window of requests, and, for the alternating
 * harness, paused between its windows. bitnet-agent's configurations get their endpoints polled
 * whenever the server takes load (warm-up and windows), never while it is paused; the polling schedule
 * goes on from one stretch of load to the next, on the time the server has taken load so far.
 */
final class ServerUnderLoad implements AutoCloseable {

  static final String MODEL = "small";
  // One request per engine step. With batches of up to 8 (the server's default) a run settles into one
  // batching pattern or another, and throughput moved by ±10% between runs of the same server; with 1,
  // by under 1% (three runs each, no agent: 697 to 820 tokens/s against 943 to 957).
  static final int MAX_BATCH = 1;
  static final int CONCURRENCY = 4;
  static final int MAX_TOKENS = 32;

  private final String appJar;
  private final EndpointPoller.Schedule schedule;
  private final Path gcLog;
  private final ChildJvm server;
  private final int prometheusPort;
  private final int managementPort;
  private final double startupSeconds;
  private final String url;
  private boolean paused;
  /** How long the server has been polled (under load) so far: the clock of its polling schedule. */
  private long polledNanos;

  private ServerUnderLoad(String appJar, EndpointPoller.Schedule schedule, Path gcLog, ChildJvm server,
      int prometheusPort, int managementPort, double startupSeconds, String url) {
    this.appJar = appJar;
    this.schedule = schedule;
    this.gcLog = gcLog;
    this.server = server;
    this.prometheusPort = prometheusPort;
    this.managementPort = managementPort;
    this.startupSeconds = startupSeconds;
    this.url = url;
  }

  /**
   * Launches the server with {@code jvmArgs} and waits for its "model ready" line. {@code schedule} is
   * null for a server without bitnet-agent's endpoints.
   */
  static ServerUnderLoad start(String appJar, List<String> jvmArgs, EndpointPoller.Schedule schedule, Path gcLog)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
    cmd.addAll(jvmArgs);
    // heap use before and after each collection, for the allocation rate: cheap, and the same in every configuration
    Files.deleteIfExists(gcLog);
    cmd.add("-Xlog:gc+heap=debug:file=" + gcLog.toAbsolutePath());
    int prometheusPort = ChildJvm.freePort();
    int managementPort = ChildJvm.freePort();
    cmd.addAll(List.of("-Dotel.exporter.prometheus.port=" + prometheusPort, "-Dbitnet.management.port=" + managementPort,
        "-jar", appJar, "serve", "--model", MODEL, "--max-batch", String.valueOf(MAX_BATCH), "--port", "0"));
    long start = System.nanoTime();
    ChildJvm server = ChildJvm.start(cmd);
    boolean started = false;
    try {
      server.awaitLine(l -> l.contains(" ready in "), Duration.ofMinutes(3));
      double startup = (System.nanoTime() - start) / 1e9; // from launch to the "model ready" line
      String url = server.awaitGroup(Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)"), Duration.ofSeconds(10));
      ServerUnderLoad s = new ServerUnderLoad(appJar, schedule, gcLog, server, prometheusPort, managementPort, startup, url);
      started = true;
      return s;
    } finally {
      if (!started) {
        server.close();
      }
    }
  }

  double startupSeconds() {
    return startupSeconds;
  }

  /** {@code requests} requests of load, measuring nothing (a warm-up), its endpoints polled meanwhile. */
  void load(int requests) throws IOException, InterruptedException {
    EndpointPoller poller = startPolling();
    try {
      loadgen(requests);
    } finally {
      stopPolling(poller);
    }
  }

  /** {@code requests} requests of load, measured: throughput, latency, CPU, allocation, heap after a full GC. */
  OverheadHarness.Run window(int requests) throws IOException, InterruptedException {
    EndpointPoller poller = startPolling();
    // the count takes a scrape before and after the window, outside it: two more than a 15 s schedule's
    // windows would see, so it is read only where the schedule scrapes every second anyway
    boolean countMatmuls = poller != null && schedule.scrapeSeconds() == 1;
    long pid = server.pid();
    String report;
    long matmul0;
    long cpu0;
    long cpu1;
    long agentCpuNanos;
    long jitCpuNanos;
    double matmulCalls;
    double window;
    AtomicInteger peak = new AtomicInteger(ProcStats.threads(pid));
    Thread sampler = peakThreadSampler(pid, peak);
    GcLog.Mark allocStart;
    try {
      matmul0 = countMatmuls ? poller.matmulCalls() : 0;
      cpu0 = ProcStats.cpuTicks(pid);
      Map<Long, Long> agentCpu0 = ProcStats.threadCpuNanos(pid, ProcStats.AGENT_THREADS);
      Map<Long, Long> jitCpu0 = ProcStats.threadCpuNanos(pid, ProcStats.JIT_THREADS);
      sampler.start();
      allocStart = GcLog.mark(gcLog, server.heapUsed());
      long windowStart = System.nanoTime();
      report = loadgen(requests);
      window = (System.nanoTime() - windowStart) / 1e9;
      cpu1 = ProcStats.cpuTicks(pid);
      agentCpuNanos = ProcStats.cpuNanosBetween(agentCpu0, ProcStats.threadCpuNanos(pid, ProcStats.AGENT_THREADS));
      jitCpuNanos = ProcStats.cpuNanosBetween(jitCpu0, ProcStats.threadCpuNanos(pid, ProcStats.JIT_THREADS));
      matmulCalls = countMatmuls ? poller.matmulCalls() - matmul0 : 0;
    } finally {
      sampler.interrupt();
      stopPolling(poller);
    }
    double allocated = GcLog.allocatedSince(gcLog, allocStart, server.heapUsed());
    double heap = server.heapUsedAfterGc() / 1048576.0;
    return new OverheadHarness.Run(startupSeconds,
        number(report, "throughput: ([0-9.]+) requests/s"), number(report, "requests/s, ([0-9.]+) tokens/s"),
        number(report, "p50 ([0-9.]+)"), number(report, "latency ms: p50 [0-9.]+, p95 ([0-9.]+)"),
        number(report, "p99 ([0-9.]+)"), number(report, "ttft ms: p50 [0-9.]+, p95 ([0-9.]+)"), heap,
        allocated / 1048576.0 / window, allocated / 1024.0 / requests,
        (cpu1 - cpu0) * 1000.0 / 100 / requests, jitCpuNanos / 1e6 / requests, agentCpuNanos / 1e6 / requests,
        matmulCalls / requests, peak.get());
  }

  /** A daemon thread, not started, that keeps the largest thread count of {@code pid} in {@code peak}. */
  private static Thread peakThreadSampler(long pid, AtomicInteger peak) {
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(ProcStats.threads(pid), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    return sampler;
  }

  /**
   * Freezes the whole JVM (SIGSTOP) so that it takes no CPU from the server being measured: not its agent's
   * threads, not its JIT, not its GC.
   */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
    // kill returns once the signal is sent; each thread stops when it next runs, a few milliseconds later
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (!ProcStats.stopped(server.pid())) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the server " + server.pid() + " did not stop on SIGSTOP");
      }
      Thread.sleep(1);
    }
  }

  /**
   * Stops a paused server again if something let it run, and says whether it had to. The kernel sends
   * SIGCONT to the stopped processes of a process group that loses its parent shell: a harness started
   * in the background of a shell that then exits sees its paused servers run on.
   */
  boolean ensurePaused() throws IOException, InterruptedException {
    if (!paused || ProcStats.stopped(server.pid())) {
      return false;
    }
    pause();
    return true;
  }

  /** Lets a paused JVM run again (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    signal(server.pid(), name);
  }

  /** Sends signal {@code name} (STOP, CONT) to {@code pid}: the JDK sends only TERM and KILL, so {@code kill} does. */
  static void signal(long pid, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + pid + " failed");
    }
  }

  private EndpointPoller startPolling() {
    if (schedule == null) {
      return null;
    }
    EndpointPoller poller = new EndpointPoller(prometheusPort, managementPort, schedule, polledNanos);
    poller.start();
    return poller;
  }

  private void stopPolling(EndpointPoller poller) throws InterruptedException {
    if (poller != null) {
      polledNanos = poller.clockNanos();
      poller.stop();
    }
  }

  private String loadgen(int requests) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(ChildJvm.java(), "-jar", appJar, "loadgen", "--url", url, "--model", MODEL, "--stream", "true",
        "--concurrency", String.valueOf(CONCURRENCY), "--requests", String.valueOf(requests),
        "--max-tokens", String.valueOf(MAX_TOKENS)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || !out.contains(" 0 failed")) {
      throw new IllegalStateException("load generator failed:\n" + out);
    }
    return out;
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no '" + regex + "' in:\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }

  /** Stops the server; a paused one is let run first, or it could not handle the SIGTERM. */
  @Override
  public void close() {
    if (paused) {
      try {
        resume();
      } catch (IOException | InterruptedException e) {
        // close() kills it forcibly when it lingers
      }
    }
    server.close();
  }
}
