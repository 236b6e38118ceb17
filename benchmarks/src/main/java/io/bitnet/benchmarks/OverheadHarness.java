package io.bitnet.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * What the agent costs an inference server: the sample server in six configurations, (a) no agent,
 * (b) the upstream OpenTelemetry agent, (c) bitnet-agent with defaults, (d) bitnet-agent with every
 * optional span and accuracy sampling at 100%, (e) bitnet-agent with {@code bitnet.lean}, (f) (c) polled
 * as the shipped deploy/ files poll it, each driven by the same load after a warm-up, the configurations
 * interleaved round by round, their order rotated by one place each round. bitnet-agent's configurations get their {@code /metrics} and readiness
 * probe polled through the warm-up and the measured window: once a second, except (f), which is scraped
 * every 15 s and probed every 5 s (readiness) and 10 s (liveness). Reports medians
 * and each one's ratio to (a) in the same round, and bitnet-agent's ratios to (b) in the same round, as
 * Markdown tables and a PNG chart, and every run in {@code rounds.csv}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bitnet.benchmarks.OverheadHarness \
 *     sample-inference-app/target/sample-inference-app.jar agent/target/upstream/opentelemetry-javaagent.jar \
 *     agent/target/bitnet-agent.jar [rounds] [output-dir] [warm-up requests] [configurations] [measured requests]</pre>
 *
 * <p>The warm-up (256 requests unless given) sets how old a server the window measures: the code a
 * request runs once, such as the HTTP server's span, is still being compiled after a few hundred.
 * The configurations are letters, {@code a} first ({@code abcdef} unless given). Each run measures 96
 * requests unless given.
 */
public final class OverheadHarness {

  // 16 left the agent's classes mid-JIT (CPU per request doubled); after 64 the JIT still used twice (a)'s CPU in
  // bitnet-agent's window, compiling the code that serves scrapes and probes; after 256, 1.5 ms per request more
  private static final int DEFAULT_WARMUP_REQUESTS = 256;
  // p95 of 96 requests is about the fifth-slowest. 384 (~12 s) steadies each run's percentiles, but the intervals
  // narrowed only a little: the rounds differ more than the requests within one (runs 12 and 13 of docs/overhead-history.md)
  private static final int DEFAULT_MEASURED_REQUESTS = 96;
  // a cell of rounds.csv: a quoted configuration name, which may hold commas, or a bare number
  private static final Pattern CSV_CELL = Pattern.compile("\"([^\"]*)\"|([^,]+)");

  private OverheadHarness() {}

  /** How much load each run gets: rounds of every configuration, warm-up requests, then measured ones. */
  record Plan(int rounds, int warmupRequests, int measuredRequests) {
    Plan {
      if (rounds < 1 || warmupRequests < 0 || measuredRequests < 1) {
        throw new IllegalArgumentException("rounds and measured requests must be at least 1, warm-up requests at least 0: "
            + rounds + ", " + warmupRequests + ", " + measuredRequests);
      }
    }

    /**
     * The plan of a harness's command line: rounds, warm-up requests and measured requests at arguments 3, 5
     * and 7, each as in {@code defaults} when absent. Exits with a message naming {@code harness} on a bad one.
     */
    static Plan fromArgs(String harness, String[] args, Plan defaults) {
      return argumentOrExit(harness, () -> new Plan(args.length > 3 ? Integer.parseInt(args[3]) : defaults.rounds(),
          args.length > 5 ? Integer.parseInt(args[5]) : defaults.warmupRequests(),
          args.length > 7 ? Integer.parseInt(args[7]) : defaults.measuredRequests()));
    }
  }

  /**
   * What {@code parse} makes of a harness's command-line arguments; on a bad one (it throws {@link
   * IllegalArgumentException}, {@link NumberFormatException} included) exits with a message naming {@code harness}.
   */
  static <T> T argumentOrExit(String harness, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      System.err.println(harness + ": " + e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  /** A configuration: the server's agent options, and how its endpoints are polled (null: it has none). */
  record Config(List<String> jvmArgs, EndpointPoller.Schedule polling) {}

  private static List<String> plus(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  /** One measured run of one configuration. */
  record Run(double startupSeconds, double requestsPerSecond, double tokensPerSecond, double p50, double p95,
      double p99, double ttftP95, double heapAfterGcMiB, double allocMiBPerSecond, double allocKiBPerRequest,
      double cpuMsPerRequest, double jitCpuMsPerRequest, double agentThreadsCpuMsPerRequest,
      double matmulCallsPerRequest, int peakThreads) {

    double get(String figure) {
      return switch (figure) {
        case "startup s" -> startupSeconds;
        case "requests/s" -> requestsPerSecond;
        case "tokens/s" -> tokensPerSecond;
        case "p50 ms" -> p50;
        case "p95 ms" -> p95;
        case "p99 ms" -> p99;
        case "TTFT p95 ms" -> ttftP95;
        case "heap after GC MiB" -> heapAfterGcMiB;
        case "alloc MiB/s" -> allocMiBPerSecond;
        case "alloc KiB/request" -> allocKiBPerRequest;
        case "CPU ms/request" -> cpuMsPerRequest;
        case "JIT CPU ms/request" -> jitCpuMsPerRequest;
        case "CPU ms/request, JIT excluded" -> cpuMsPerRequest - jitCpuMsPerRequest;
        case "agent threads CPU ms/request" -> agentThreadsCpuMsPerRequest;
        case "matmul calls/request" -> matmulCallsPerRequest;
        case "peak threads" -> peakThreads;
        default -> throw new IllegalArgumentException(figure);
      };
    }

    /** The run whose {@link #get} gives these figures, as a line of {@code rounds.csv} holds them. */
    static Run of(Map<String, Double> f) {
      return new Run(f.get("startup s"), f.get("requests/s"), f.get("tokens/s"), f.get("p50 ms"), f.get("p95 ms"),
          f.get("p99 ms"), f.get("TTFT p95 ms"), f.get("heap after GC MiB"), f.get("alloc MiB/s"),
          f.get("alloc KiB/request"), f.get("CPU ms/request"), f.get("JIT CPU ms/request"),
          f.get("agent threads CPU ms/request"), f.get("matmul calls/request"), (int) Math.round(f.get("peak threads")));
    }
  }

  /**
   * The runs of every configuration, round by round, and the set of servers each round was measured on:
   * {@code sets.get(i)} for round {@code i + 1}. {@link OverheadHarness} starts fresh servers for every run,
   * so each of its rounds is a set of its own; {@link AlternatingHarness} measures many rounds on one set.
   */
  record Rounds(Map<String, List<Run>> runs, List<Integer> sets) {
    Rounds {
      int n = roundCount(runs);
      runs.forEach((k, rs) -> {
        if (rs.size() != n) { // ratios pair the runs of a round
          throw new IllegalArgumentException(k + " has " + rs.size() + " rounds, the first configuration " + n);
        }
      });
      if (sets.size() != n) {
        throw new IllegalArgumentException(sets.size() + " set numbers for " + n + " rounds");
      }
      sets = List.copyOf(sets);
    }

    /** Rounds each measured on servers of their own. */
    static Rounds eachOnItsOwnServers(Map<String, List<Run>> runs) {
      return new Rounds(runs, IntStream.rangeClosed(1, roundCount(runs)).boxed().toList());
    }

    /** The rounds of the first configuration, which every other must have as many of. */
    private static int roundCount(Map<String, List<Run>> runs) {
      return runs.isEmpty() ? 0 : runs.values().iterator().next().size();
    }

    /** The same rounds without those of the configurations {@code drop} accepts. */
    Rounds without(Predicate<String> drop) {
      Map<String, List<Run>> kept = new LinkedHashMap<>(runs);
      kept.keySet().removeIf(drop);
      return new Rounds(kept, sets);
    }

    int setCount() {
      return (int) sets.stream().distinct().count();
    }
  }

  static final List<String> FIGURES = List.of("tokens/s", "requests/s", "p50 ms", "p95 ms", "p99 ms", "TTFT p95 ms",
      "startup s", "heap after GC MiB", "alloc MiB/s", "alloc KiB/request", "CPU ms/request",
      "JIT CPU ms/request", "CPU ms/request, JIT excluded", "agent threads CPU ms/request", "matmul calls/request",
      "peak threads");

  /** The figures a set of servers is judged by in {@link #setTable}. */
  private static final List<String> SET_FIGURES = List.of("tokens/s", "p95 ms");

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("--from-csv")) {
      // the tables of earlier runs, from their rounds.csv files; several runs count as one, round after round,
      // each file's sets of servers kept apart from every other file's
      try {
        System.out.print(ratioTables(pooled(List.of(args).subList(1, args.length))));
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("OverheadHarness --from-csv: " + e);
        System.exit(2);
      }
      return;
    }
    if (args.length < 3) {
      System.err.println("usage: OverheadHarness SAMPLE_APP_JAR UPSTREAM_AGENT_JAR BITNET_AGENT_JAR [rounds] [output-dir]"
          + " [warm-up requests] [configurations, e.g. abc] [measured requests]");
      System.err.println("   or: OverheadHarness --from-csv ROUNDS_CSV...   (the tables of earlier runs, taken as one;"
          + " the intervals resample the sets of servers, then the rounds within each)");
      System.exit(2);
    }
    Plan plan = Plan.fromArgs("OverheadHarness", args, new Plan(5, DEFAULT_WARMUP_REQUESTS, DEFAULT_MEASURED_REQUESTS));
    String chosen = args.length > 6 ? args[6] : "abcdef";
    if (!chosen.matches("a[b-f]*")) {
      System.err.println("configurations: 'a' (the baseline of every ratio) followed by any of b to f; got " + chosen);
      System.exit(2);
    }
    String app = args[0];
    Path out = Path.of(args.length > 4 ? args[4] : "benchmarks/target/overhead");
    Files.createDirectories(out);
    Map<String, Config> configs = configurations(args[1], args[2]);
    configs.keySet().removeIf(name -> chosen.indexOf(name.charAt(1)) < 0);

    Map<String, List<Run>> runs = new LinkedHashMap<>();
    configs.keySet().forEach(k -> runs.put(k, new ArrayList<>()));
    List<Map.Entry<String, Config>> order = new ArrayList<>(configs.entrySet());
    for (int round = 1; round <= plan.rounds(); round++) {
      for (Map.Entry<String, Config> c : roundOrder(order, round)) {
        Path gcLog = out.resolve("gc-" + round + "-" + c.getKey().charAt(1) + ".log");
        Run r = measure(app, c.getValue(), plan, gcLog);
        runs.get(c.getKey()).add(r);
        System.out.printf(Locale.ROOT, "round %d %-46s %s%n", round, c.getKey(), r);
      }
    }
    String table = table(runs, plan);
    Files.writeString(out.resolve("overhead.md"), table);
    Files.writeString(out.resolve("rounds.csv"), csv(Rounds.eachOnItsOwnServers(runs)));
    chart(runs, out.resolve("overhead.png"));
    System.out.println(table);
    System.out.println("written to " + out.toAbsolutePath());
  }

  /**
   * The six configurations by name, (a) to (f), in order. bitnet-agent's serve {@code /metrics} and the
   * probes, which are polled while they take load.
   */
  static Map<String, Config> configurations(String upstreamAgentJar, String bitnetAgentJar) {
    String quiet = "-Dotel.logs.exporter=none";
    List<String> bitnetDefaults = List.of("-javaagent:" + bitnetAgentJar, "-Dotel.traces.exporter=none", quiet);
    Map<String, Config> configs = new LinkedHashMap<>();
    configs.put("(a) no agent", new Config(List.of(), null));
    configs.put("(b) upstream agent", new Config(List.of("-javaagent:" + upstreamAgentJar, "-Dotel.traces.exporter=none",
        "-Dotel.metrics.exporter=none", quiet), null));
    configs.put("(c) bitnet-agent, defaults", new Config(bitnetDefaults, EndpointPoller.Schedule.EVERY_SECOND));
    configs.put("(d) bitnet-agent, every span, accuracy 100%", new Config(plus(bitnetDefaults,
        "-Dbitnet.trace.matmul-spans=true", "-Dbitnet.trace.token-events=true",
        "-Dbitnet.quantization.accuracy.sample-ratio=1"), EndpointPoller.Schedule.EVERY_SECOND));
    configs.put("(e) bitnet-agent, bitnet.lean", new Config(plus(bitnetDefaults, "-Dbitnet.lean=true"),
        EndpointPoller.Schedule.EVERY_SECOND));
    configs.put("(f) bitnet-agent, defaults, scraped every 15 s", new Config(bitnetDefaults, EndpointPoller.Schedule.SHIPPED));
    return configs;
  }

  /**
   * The order of round {@code round} (from 1): the configurations rotated by one place a round, so that over
   * as many rounds as there are configurations each runs once in every position. With a fixed order (runs 17
   * and 18 of docs/overhead-history.md) the last configuration always followed the same one, and a cost of its
   * place in the round could not be told from a cost of its own.
   */
  static <T> List<T> roundOrder(List<T> configurations, int round) {
    List<T> rotated = new ArrayList<>(configurations);
    Collections.rotate(rotated, -((round - 1) % Math.max(1, configurations.size())));
    return rotated;
  }

  /** One server of a configuration, timed to ready, warmed up, then measured over one window. */
  private static Run measure(String appJar, Config config, Plan plan, Path gcLog) throws Exception {
    try (ServerUnderLoad server = ServerUnderLoad.start(appJar, config.jvmArgs(), config.polling(), gcLog)) {
      server.load(plan.warmupRequests());
      return server.window(plan.measuredRequests());
    }
  }

  /**
   * The results as Markdown: every configuration against (a), then, when the run has (b) and any of
   * bitnet-agent's configurations, those against (b), the upstream agent that bitnet-agent contains.
   */
  static String table(Map<String, List<Run>> runs, Plan plan) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s, %d interleaved rounds (the order rotated by one place each round), model %s, batches of %d, %d clients, %d requests of %d tokens "
        + "(streamed) after %d warm-up requests. Median of the rounds; × (a) is the median of the per-round ratios, then its 95%% bootstrap interval.%n%n",
        LocalDate.now(), plan.rounds(), ServerUnderLoad.MODEL, ServerUnderLoad.MAX_BATCH, ServerUnderLoad.CONCURRENCY,
        plan.measuredRequests(), ServerUnderLoad.MAX_TOKENS,
        plan.warmupRequests()));
    return sb.append(ratioTables(Rounds.eachOnItsOwnServers(runs))).toString();
  }

  /**
   * Every configuration against (a), then, when there are (b) and any of bitnet-agent's configurations,
   * those against (b). Each interval resamples the sets of servers, then the rounds within each set.
   */
  static String ratioTables(Rounds rounds) {
    StringBuilder sb = new StringBuilder(ratioTable(rounds));
    Rounds againstUpstream = rounds.without(k -> k.startsWith("(a)"));
    if (againstUpstream.runs().size() > 1 && againstUpstream.runs().keySet().iterator().next().startsWith("(b)")) {
      sb.append(String.format(Locale.ROOT, "%nThe same rounds against (b), the upstream agent that bitnet-agent contains: "
          + "× (b) is the median of the per-round ratios to (b), then its 95%% bootstrap interval.%n%n"));
      sb.append(ratioTable(againstUpstream));
    }
    if (rounds.setCount() > 1 && rounds.setCount() < rounds.sets().size()) {
      sb.append(String.format(Locale.ROOT, "%nEach set of servers alone: the median of its rounds' ratios to %s.%n%n",
          letter(rounds.runs().keySet().iterator().next())));
      sb.append(setTable(rounds));
    }
    return sb.toString();
  }

  /**
   * One line per set of servers: its rounds, and for {@link #SET_FIGURES} the median of each configuration's
   * per-round ratios to the first. Servers differ; this shows by how much, which the pooled interval folds in.
   */
  private static String setTable(Rounds rounds) {
    List<String> names = List.copyOf(rounds.runs().keySet());
    List<Run> base = rounds.runs().get(names.get(0));
    StringBuilder sb = new StringBuilder("| set | rounds |");
    List<Map<Integer, List<Double>>> columns = new ArrayList<>();
    for (String figure : SET_FIGURES) {
      for (String k : names.subList(1, names.size())) {
        sb.append(' ').append(figure).append(' ').append(letter(k)).append(" × ").append(letter(names.get(0))).append(" |");
        columns.add(ratiosBySet(rounds.sets(), rounds.runs().get(k), base, figure));
      }
    }
    sb.append("\n|---|---:|").append("---:|".repeat(columns.size())).append('\n');
    for (int set : rounds.sets().stream().distinct().toList()) {
      sb.append("| ").append(set).append(" | ").append(Collections.frequency(rounds.sets(), set)).append(" |");
      columns.forEach(c -> sb.append(String.format(Locale.ROOT, " %.3f× |", Medians.median(c.get(set)))));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A configuration's letter, {@code (a)}, from its full name, {@code (a) no agent}. */
  private static String letter(String configuration) {
    return configuration.substring(0, 3);
  }

  /** The per-round ratios of {@code figure} of {@code rs} to {@code base}, grouped by the rounds' sets of servers. */
  private static Map<Integer, List<Double>> ratiosBySet(List<Integer> sets, List<Run> rs, List<Run> base, String figure) {
    Map<Integer, List<Double>> bySet = new LinkedHashMap<>();
    for (int i = 0; i < rs.size(); i++) {
      bySet.computeIfAbsent(sets.get(i), s -> new ArrayList<>()).add(rs.get(i).get(figure) / base.get(i).get(figure));
    }
    return bySet;
  }

  /** Medians of each configuration, and their per-round ratios to the first configuration. */
  private static String ratioTable(Rounds rounds) {
    Map<String, List<Run>> runs = rounds.runs();
    List<Run> base = runs.values().iterator().next();
    StringBuilder sb = new StringBuilder("| figure |");
    runs.keySet().forEach(k -> sb.append(' ').append(k).append(" |"));
    sb.append("\n|---|");
    runs.keySet().forEach(k -> sb.append("---:|"));
    sb.append('\n');
    for (String figure : FIGURES) {
      sb.append("| ").append(figure).append(" |");
      for (List<Run> rs : runs.values()) {
        List<Double> values = rs.stream().map(r -> r.get(figure)).toList();
        Map<Integer, List<Double>> ratiosBySet = ratiosBySet(rounds.sets(), rs, base, figure);
        List<Double> ratios = ratiosBySet.values().stream().flatMap(List::stream).toList();
        sb.append(String.format(Locale.ROOT, " %.2f", Medians.median(values)));
        if (rs != base && ratios.stream().allMatch(Double::isFinite)) {
          Medians.Interval ci = Medians.bootstrapIntervalOfSets(ratiosBySet.values());
          sb.append(String.format(Locale.ROOT, " (%.3f×, %.3f–%.3f)", Medians.median(ratios), ci.low(), ci.high()));
        }
        sb.append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Every run, a line each: configuration, set of servers, round, then the figures in table order. */
  static String csv(Rounds rounds) {
    StringBuilder sb = new StringBuilder("configuration,set,round");
    FIGURES.forEach(f -> sb.append(",\"").append(f).append('"'));
    sb.append('\n');
    rounds.runs().forEach((config, rs) -> {
      for (int i = 0; i < rs.size(); i++) {
        sb.append('"').append(config).append("\",").append(rounds.sets().get(i)).append(',').append(i + 1);
        for (String f : FIGURES) {
          sb.append(String.format(Locale.ROOT, ",%.4f", rs.get(i).get(f)));
        }
        sb.append('\n');
      }
    });
    return sb.toString();
  }

  /**
   * The rounds of a {@code rounds.csv} written by {@link #csv}, by configuration in the file's order. A file
   * from before the set column (2026-11-27) has each round on servers of its own, as {@link OverheadHarness}
   * measured them.
   */
  static Rounds readCsv(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    List<String> header = lines.isEmpty() ? List.of() : splitCsvLine(lines.get(0));
    int first = header.size() > 1 && header.get(1).equals("set") ? 3 : 2; // the first figure's column
    if (header.size() != FIGURES.size() + first || !header.subList(first, header.size()).equals(FIGURES)) {
      throw new IllegalArgumentException("not a rounds.csv of this harness; its columns: " + header);
    }
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    Map<Integer, Integer> setOfRound = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = splitCsvLine(line);
      if (cells.size() != header.size()) {
        throw new IllegalArgumentException(cells.size() + " cells, not " + header.size() + ", in: " + line);
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      for (int i = 0; i < FIGURES.size(); i++) {
        figures.put(FIGURES.get(i), Double.parseDouble(cells.get(i + first)));
      }
      List<Run> rs = runs.computeIfAbsent(cells.get(0), k -> new ArrayList<>());
      rs.add(Run.of(figures));
      int set = first == 3 ? Integer.parseInt(cells.get(1)) : rs.size();
      Integer known = setOfRound.putIfAbsent(rs.size(), set);
      if (known != null && known != set) {
        throw new IllegalArgumentException("round " + rs.size() + " is in set " + known + " for one configuration and "
            + set + " for " + cells.get(0));
      }
    }
    return new Rounds(runs, List.copyOf(setOfRound.values()));
  }

  /**
   * Several runs' {@code rounds.csv} files as one, round after round; no two files share a set of servers.
   * Only the configurations that every file measured are kept (runs of {@code abc} and {@code acf} pool as
   * {@code ac}); each one left out is named on standard error.
   */
  static Rounds pooled(List<String> files) throws IOException {
    List<Rounds> read = new ArrayList<>();
    for (String file : files) {
      read.add(readCsv(Files.readString(Path.of(file))));
    }
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    Set<String> everywhere = new LinkedHashSet<>(read.get(0).runs().keySet());
    Set<String> anywhere = new LinkedHashSet<>();
    for (Rounds r : read) {
      everywhere.retainAll(r.runs().keySet());
      anywhere.addAll(r.runs().keySet());
    }
    everywhere.forEach(k -> runs.put(k, new ArrayList<>()));
    anywhere.stream().filter(k -> !everywhere.contains(k))
        .forEach(k -> System.err.println("left out " + k + ": not in every file"));
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no configuration is in every file");
    }
    List<Integer> sets = new ArrayList<>();
    int offset = 0; // added to a file's set numbers: above every earlier file's
    for (Rounds r : read) {
      runs.forEach((k, v) -> v.addAll(r.runs().get(k)));
      for (int set : r.sets()) {
        sets.add(offset + set);
      }
      offset += r.sets().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
    return new Rounds(runs, sets);
  }

  /** The cells of a line of {@link #csv}. */
  private static List<String> splitCsvLine(String line) {
    List<String> cells = new ArrayList<>();
    Matcher m = CSV_CELL.matcher(line);
    while (m.find()) {
      cells.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return cells;
  }

  /** Two bar groups: tokens/s and p95 latency per configuration, medians. */
  static void chart(Map<String, List<Run>> runs, Path file) throws IOException {
    int w = 900;
    int h = 440;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    Color[] colors = {new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
        new Color(0x8172B3), new Color(0x937860)};
    String[] figures = {"tokens/s", "p95 ms"};
    int pitch = Math.min(80, 400 / Math.max(1, runs.size())); // bars of a group fit in its 400 px
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("Agent overhead: medians of interleaved rounds", 20, 28);
    for (int f = 0; f < figures.length; f++) {
      String figure = figures[f];
      int x0 = 40 + f * 430;
      int y0 = 340;
      double max = 0;
      for (List<Run> rs : runs.values()) {
        max = Math.max(max, Medians.median(rs.stream().map(r -> r.get(figure)).toList()));
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      g.drawString(figure, x0, 60);
      int i = 0;
      for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
        double v = Medians.median(e.getValue().stream().map(r -> r.get(figure)).toList());
        int bh = (int) (250 * v / max);
        g.setColor(colors[i % colors.length]);
        g.fillRect(x0 + i * pitch, y0 - bh, pitch - 14, bh);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.1f", v), x0 + i * pitch + 2, y0 - bh - 5);
        g.drawString(letter(e.getKey()), x0 + i * pitch + (pitch - 14) / 2 - 10, y0 + 20);
        i++;
      }
      g.setStroke(new BasicStroke(1));
      g.drawLine(x0 - 5, y0, x0 + 360, y0);
    }
    int i = 0;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (String k : runs.keySet()) {
      g.setColor(colors[i % colors.length]);
      g.fillRect(40 + (i % 2) * 430, 375 + (i / 2) * 18, 10, 10);
      g.setColor(Color.BLACK);
      g.drawString(k, 56 + (i % 2) * 430, 385 + (i / 2) * 18);
      i++;
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
