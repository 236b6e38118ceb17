package io.bitnet.it.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's promtool, from the PATH (or -Dpromtool=/path/to/promtool). When it is missing, the tests fail
 * and say how to install it: CI installs it, so a missing one is a broken setup, not a reason to skip.
 */
final class Promtool {

  /** One run: its exit status and what it printed (stdout and stderr together). */
  record Result(int exit, String output) {}

  private static final long TIMEOUT_SECONDS = 300;

  private Promtool() {}

  static Path binary() {
    String configured = System.getProperty("promtool");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isExecutable(p)) {
        throw new AssertionError("-Dpromtool=" + configured + " is not an executable file");
      }
      return p;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, "promtool");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new AssertionError("promtool was not found on the PATH (" + path + "). The deploy/ checks need it: install"
        + " Debian's prometheus package, which brings it (apt-get install -y prometheus; .ci/run does this), or pass"
        + " -Dpromtool=/path/to/promtool.");
  }

  static Result run(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("promtool-", ".out");
      try {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s:\n"
              + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** Runs promtool and fails with its output unless it exits 0. */
  static String ok(Path workDir, String... args) {
    Result r = run(workDir, args);
    if (r.exit() != 0) {
      throw new AssertionError("promtool " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.output());
    }
    return r.output();
  }
}
