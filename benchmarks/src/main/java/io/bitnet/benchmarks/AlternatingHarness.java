package io.bitnet.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overhead benchmark with short windows that alternate between servers that all stay up: every
 * configuration's server is started and warmed up once, then the harness measures a window of requests
 * on each in turn, cycle after cycle, the order rotated by one place a cycle. Only the server being
 * measured runs; the others are stopped with SIGSTOP, so that none of their threads takes CPU from it.
 *
 * <p>Why: {@link OverheadHarness} starts a fresh server for every run, so with a long warm-up the runs it
 * compares are minutes apart, and this shared machine's speed moves by up to ±10% over minutes (run 19
 * of docs/overhead-history.md). Here the windows compared are seconds apart. What it cannot show: startup
 * and a young server's JIT (each configuration starts once); use {@link OverheadHarness} for those. The
 * polling schedules run on each server's time under load, so (f)'s 15 s scrape interval, longer than a
 * window, puts a scrape in about two of every five windows of 192 requests (about 6 s each).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bitnet.benchmarks.AlternatingHarness \
 *     sample-inference-app/target/sample-inference-app.jar agent/target/upstream/opentelemetry-javaagent.jar \
 *     agent/target/bitnet-agent.jar [cycles] [output-dir] [warm-up requests] [configurations] [requests per window] \
 *     [sets of servers]</pre>
 *
 * <p>Defaults: 12 cycles, 6,000 warm-up requests per server, configurations {@code abc}, 192 requests per
 * window, one set of servers. With several sets, each set's servers are started, warmed up and measured over
 * the cycles, then closed before the next set starts. Servers differ from one another (each JVM's JIT
 * settles its own way), so the windows of one set are not independent: the intervals resample the sets,
 * then the cycles within each. The results are written as {@link OverheadHarness} writes them, a cycle
 * counting as a round and {@code rounds.csv} naming each cycle's set, so {@code OverheadHarness --from-csv}
 * reads them back.
 */
public final class AlternatingHarness {

  private static final int DEFAULT_CYCLES = 12;
  private static final int DEFAULT_WARMUP_REQUESTS = 6000;
  private static final int DEFAULT_WINDOW_REQUESTS = 192;

  private AlternatingHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: AlternatingHarness SAMPLE_APP_JAR UPSTREAM_AGENT_JAR BITNET_AGENT_JAR [cycles] [output-dir]"
          + " [warm-up requests] [configurations, e.g. abc] [requests per window] [sets of servers]");
      System.exit(2);
    }
    OverheadHarness.Plan plan = OverheadHarness.Plan.fromArgs("AlternatingHarness", args,
        new OverheadHarness.Plan(DEFAULT_CYCLES, DEFAULT_WARMUP_REQUESTS, DEFAULT_WINDOW_REQUESTS));
    int sets = setsArgument(args);
    String chosen = args.length > 6 ? args[6] : "abc";
    if (!chosen.matches("a[b-f]*")) {
      System.err.println("configurations: 'a' (the baseline of every ratio) followed by any of b to f. Got " + chosen);
      System.exit(2);
    }
    Path out = Path.of(args.length > 4 ? args[4] : "benchmarks/target/alternating");
    Files.createDirectories(out);
    Map<String, OverheadHarness.Config> configs = OverheadHarness.configurations(args[1], args[2]);
    configs.keySet().removeIf(name -> chosen.indexOf(name.charAt(1)) < 0);

    Map<String, List<OverheadHarness.Run>> runs = new LinkedHashMap<>();
    configs.keySet().forEach(k -> runs.put(k, new ArrayList<>()));
    List<Integer> setOfCycle = new ArrayList<>();
    for (int set = 1; set <= sets; set++) {
      System.out.printf(Locale.ROOT, "set %d of %d: new servers%n", set, sets);
      measureOneSet(args[0], configs, plan, out, set, runs, setOfCycle);
    }
    OverheadHarness.Rounds rounds = new OverheadHarness.Rounds(runs, setOfCycle);
    String table = String.format(Locale.ROOT, "%s, %d set%s of servers, each started once, then %d cycles of alternating"
        + " windows on it (the others stopped during each window; the order rotated by one place each cycle), model %s,"
        + " batches of %d, %d clients, %d requests of %d tokens (streamed) per window, after %d warm-up requests per"
        + " server. Median of the cycles; × (a) is the median of the per-cycle ratios, then its 95%% bootstrap interval,"
        + " which resamples the sets, then the cycles within each. Startup is one start per configuration and set.%n%n",
        LocalDate.now(), sets, sets == 1 ? "" : "s", plan.rounds(), ServerUnderLoad.MODEL, ServerUnderLoad.MAX_BATCH,
        ServerUnderLoad.CONCURRENCY, plan.measuredRequests(), ServerUnderLoad.MAX_TOKENS, plan.warmupRequests())
        + OverheadHarness.ratioTables(rounds);
    Files.writeString(out.resolve("overhead.md"), table);
    Files.writeString(out.resolve("rounds.csv"), OverheadHarness.csv(rounds));
    OverheadHarness.chart(runs, out.resolve("overhead.png"));
    System.out.println(table);
    System.out.println("written to " + out.toAbsolutePath());
  }

  /**
   * One set of servers: each configuration's started (the others stopped), warmed up, then measured over
   * the plan's cycles of alternating windows, and closed. Each whole cycle is added to {@code runs}, its set
   * to {@code setOfCycle}, and {@code rounds.csv} is written again, so that the cycles so far survive a failure.
   */
  private static void measureOneSet(String appJar, Map<String, OverheadHarness.Config> configs,
      OverheadHarness.Plan plan, Path out, int set, Map<String, List<OverheadHarness.Run>> runs,
      List<Integer> setOfCycle) throws Exception {
    Map<String, ServerUnderLoad> servers = new LinkedHashMap<>();
    try {
      // started one at a time, each while the others are stopped, so each startup has the machine to itself
      for (Map.Entry<String, OverheadHarness.Config> c : configs.entrySet()) {
        Path gcLog = out.resolve("gc-" + set + "-" + c.getKey().charAt(1) + ".log");
        ServerUnderLoad server = ServerUnderLoad.start(appJar, c.getValue().jvmArgs(), c.getValue().polling(), gcLog);
        servers.put(c.getKey(), server);
        System.out.printf(Locale.ROOT, "started %-40s in %.2f s%n", c.getKey(), server.startupSeconds());
        server.pause();
      }
      for (Map.Entry<String, ServerUnderLoad> s : servers.entrySet()) {
        s.getValue().resume();
        s.getValue().load(plan.warmupRequests());
        s.getValue().pause();
        System.out.printf(Locale.ROOT, "warmed up %s with %d requests%n", s.getKey(), plan.warmupRequests());
      }
      List<String> names = new ArrayList<>(servers.keySet());
      for (int cycle = 1; cycle <= plan.rounds(); cycle++) {
        Map<String, OverheadHarness.Run> measured = new LinkedHashMap<>();
        for (String name : OverheadHarness.roundOrder(names, cycle)) {
          for (Map.Entry<String, ServerUnderLoad> other : servers.entrySet()) {
            if (other.getValue().ensurePaused()) {
              System.out.println("stopped " + other.getKey() + " again: it was let run while paused");
            }
          }
          ServerUnderLoad server = servers.get(name);
          server.resume();
          OverheadHarness.Run r = server.window(plan.measuredRequests());
          server.pause();
          measured.put(name, r);
          System.out.printf(Locale.ROOT, "set %d cycle %d %-40s %.1f tokens/s, p95 %.1f ms, %.2f CPU ms/request%n", set,
              cycle, name, r.tokensPerSecond(), r.p95(), r.cpuMsPerRequest());
        }
        measured.forEach((name, r) -> runs.get(name).add(r));
        setOfCycle.add(set);
        Files.writeString(out.resolve("rounds.csv"), OverheadHarness.csv(new OverheadHarness.Rounds(runs, setOfCycle)));
      }
    } finally {
      servers.values().forEach(ServerUnderLoad::close);
    }
  }

  /** The number of sets of servers, argument 8 (1 when absent); exits with a message on a bad one. */
  private static int setsArgument(String[] args) {
    return OverheadHarness.argumentOrExit("AlternatingHarness", () -> {
      int sets = args.length > 8 ? Integer.parseInt(args[8]) : 1;
      if (sets < 1) {
        throw new IllegalArgumentException("sets of servers must be at least 1: " + sets);
      }
      return sets;
    });
  }
}
