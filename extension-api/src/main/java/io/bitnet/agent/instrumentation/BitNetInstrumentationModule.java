package io.bitnet.agent.instrumentation;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.internal.ExperimentalInstrumentationModule;
import java.util.ArrayList;
import java.util.List;

/**
 * What every BitNet instrumentation module shares: the {@code bitnet} group name (so
 * {@code otel.instrumentation.bitnet.enabled} switches them all), isolated helpers, and the shared
 * helper classes besides each module's own ({@link #moduleHelpers()}, simple names in the module's
 * package).
 */
public abstract class BitNetInstrumentationModule extends InstrumentationModule
    implements ExperimentalInstrumentationModule {

  protected BitNetInstrumentationModule(String name) {
    super(name, "bitnet");
  }

  /** The module's own helper classes, by simple name, in the module's package. */
  protected abstract List<String> moduleHelpers();

  @Override
  public HelperClassStrategy helperClassStrategy() {
    return HelperClassStrategy.ISOLATED;
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    List<String> helpers = new ArrayList<>(SharedHelpers.NAMES);
    String prefix = getClass().getPackage().getName() + ".";
    for (String simpleName : moduleHelpers()) {
      helpers.add(prefix + simpleName);
    }
    return helpers;
  }
}
