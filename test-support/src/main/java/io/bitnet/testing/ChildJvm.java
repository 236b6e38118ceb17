package io.bitnet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process (the sample server with an agent, Prometheus, Zipkin) whose stdout and stderr are read
 * on two threads, line by line, so the application's prints and the agent's log lines never interleave
 * within a line. Shared by the agent's integration tests, the deploy and end-to-end tests and the
 * overhead harness in benchmarks/.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread stdout;
  private final Thread stderr;

  /**
   * Starts the command. Its stdin stays open until {@link #close()}: a child may wait for it to close
   * (the agent tests' KernelCallsApp stays up for a scrape that way).
   */
  public static ChildJvm start(List<String> command) throws IOException {
    return new ChildJvm(command);
  }

  public ChildJvm(List<String> command) throws IOException {
    process = new ProcessBuilder(command).start();
    stdout = reader(process.getInputStream(), "child-stdout");
    stderr = reader(process.getErrorStream(), "child-stderr");
  }

  /** A jar another module built, from the system property the pom sets; fails clearly when absent. */
  public static Path builtJar(String property) {
    String p = System.getProperty(property);
    if (p == null || !java.nio.file.Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(property + " is not built: " + p + " (run ./mvnw verify from the root)");
    }
    return Path.of(p);
  }

  /** A free loopback port for a child process to bind. */
  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Thread reader(InputStream in, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The lines so far, both streams. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** How many lines so far match. */
  public long count(Predicate<String> match) {
    return lines().stream().filter(match).count();
  }

  /** Waits for the process to exit and returns its exit code; fails with the output if it does not. */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child JVM did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** A mutable command line, to add arguments to. */
  public static List<String> command(String... parts) {
    return new java.util.ArrayList<>(List.of(parts));
  }

  public String output() {
    return String.join("\n", lines);
  }

  /** The first line matching, waiting for it; fails with the output when none comes or the process ends. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      boolean alive = process.isAlive();
      List<String> now = List.copyOf(lines);
      for (int i = seen; i < now.size(); i++) {
        if (match.test(now.get(i))) {
          return now.get(i);
        }
      }
      seen = now.size();
      if (!alive) {
        stdout.join(2000);
        stderr.join(2000);
        if (lines.size() == seen) {
          throw new AssertionError("the child JVM exited (" + process.exitValue() + ") without the line; output:\n" + output());
        }
        continue;
      }
      Thread.sleep(5); // the overhead harness times start-up to a line: keep the poll short
    }
    throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
  }

  /** The first group of the first line matching the pattern, waiting for it. */
  public String awaitGroup(java.util.regex.Pattern pattern, Duration timeout) throws InterruptedException {
    java.util.regex.Matcher m = pattern.matcher(awaitLine(l -> pattern.matcher(l).find(), timeout));
    if (!m.find()) {
      throw new AssertionError("pattern vanished");
    }
    return m.group(1);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Heap bytes in use after a full GC, read with jcmd (the child must be a JVM). */
  public long heapUsedAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    return heapUsed();
  }

  /** Heap bytes in use now, without a collection, read with jcmd (the child must be a JVM). */
  public long heapUsed() throws IOException, InterruptedException {
    String info = jcmd("GC.heap_info");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new AssertionError("unexpected GC.heap_info output:\n" + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, String.valueOf(process.pid()), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      stdout.join(2000);
      stderr.join(2000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
