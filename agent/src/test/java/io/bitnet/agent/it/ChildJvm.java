package io.bitnet.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM whose output is collected line by line. stdout and stderr are read apart, so the
 * application's prints and the agent's log lines never interleave within a line.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread stdout;
  private final Thread stderr;

  private ChildJvm(Process process) {
    this.process = process;
    this.stdout = reader(process.getInputStream(), "child-jvm-stdout");
    this.stderr = reader(process.getErrorStream(), "child-jvm-stderr");
  }

  private Thread reader(java.io.InputStream in, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process went away
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static ChildJvm start(List<String> command) throws IOException {
    return new ChildJvm(new ProcessBuilder(command).start());
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String output() {
    return String.join("\n", lines);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for a line matching the predicate; fails with the output so far if none comes. */
  String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      List<String> now = lines();
      for (int i = seen; i < now.size(); i++) {
        if (match.test(now.get(i))) {
          return now.get(i);
        }
      }
      seen = now.size();
      if (!process.isAlive() && seen == lines().size()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
  }

  /** The first group of the first line matching the pattern, waiting for it. */
  String awaitGroup(Pattern pattern, Duration timeout) throws InterruptedException {
    String line = awaitLine(l -> pattern.matcher(l).find(), timeout);
    Matcher m = pattern.matcher(line);
    if (!m.find()) {
      throw new AssertionError("pattern vanished");
    }
    return m.group(1);
  }

  long count(Predicate<String> match) {
    return lines().stream().filter(match).count();
  }

  int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child JVM did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  @Override
  public void close() {
    process.toHandle().destroy();
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

  static List<String> command(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
