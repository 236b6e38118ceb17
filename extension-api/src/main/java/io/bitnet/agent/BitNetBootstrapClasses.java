package io.bitnet.agent;

import io.opentelemetry.javaagent.tooling.bootstrap.BootstrapPackagesBuilder;
import io.opentelemetry.javaagent.tooling.bootstrap.BootstrapPackagesConfigurer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.logging.Logger;

/**
 * Puts the agent's bootstrap classes (module agent-bootstrap, package {@value #PACKAGE}) on the
 * bootstrap class path, where the advice in the application's class loaders and the agent's SDK side
 * find the same copy, and names their package so that the agent makes every class loader (OSGi ones
 * included) delegate it there. The agent calls this early in its start, before it installs any
 * instrumentation.
 *
 * <p>The classes travel inside the extension as a nested jar, extracted to a temporary file like the
 * agent extracts the extension itself; that works the same for bitnet-agent.jar and for the extension
 * on the upstream agent. If it fails, the kernel calls' duration histogram and operation counter are not
 * recorded, everything else is, and one line says so.
 */
public final class BitNetBootstrapClasses implements BootstrapPackagesConfigurer {

  static final String PACKAGE = "io.bitnet.agent.bootstrap";
  private static final String PROBE_CLASS = PACKAGE + ".KernelDurations";
  private static final String NESTED_JAR = "/io/bitnet/agent/bitnet-agent-bootstrap.jar";
  private static final Logger LOG = Logger.getLogger(BitNetBootstrapClasses.class.getName());

  @Override
  public void configure(BootstrapPackagesBuilder builder) {
    builder.add(PACKAGE);
    try {
      install();
    } catch (Exception | LinkageError e) {
      LOG.warning("bitnet-agent: bootstrap classes not installed, kernel call durations and operation counts"
          + " are not recorded: " + e);
    }
  }

  /** Appends the nested jar to the bootstrap class path, unless a bootstrap copy is already there. */
  static void install() throws IOException, ReflectiveOperationException {
    if (onBootstrapPath()) {
      return; // a second agent start in the same JVM, or a distribution that carries them at its root
    }
    Path jar = Files.createTempFile("bitnet-agent-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (InputStream in = BitNetBootstrapClasses.class.getResourceAsStream(NESTED_JAR)) {
      if (in == null) {
        throw new IOException(NESTED_JAR + " is missing from the extension jar");
      }
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    instrumentation().appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  static boolean onBootstrapPath() {
    try {
      Class.forName(PROBE_CLASS, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The agent's Instrumentation, from its bootstrap holder (read reflectively: not part of the extension API). */
  private static Instrumentation instrumentation() throws ReflectiveOperationException {
    Class<?> holder = Class.forName("io.opentelemetry.javaagent.bootstrap.InstrumentationHolder", false, null);
    Object inst = holder.getMethod("getInstrumentation").invoke(null);
    if (!(inst instanceof Instrumentation)) {
      throw new IllegalStateException("the agent's Instrumentation is not available");
    }
    return (Instrumentation) inst;
  }
}
