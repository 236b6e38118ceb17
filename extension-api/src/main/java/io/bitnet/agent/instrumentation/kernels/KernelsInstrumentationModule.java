package io.bitnet.agent.instrumentation.kernels;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.internal.ExperimentalInstrumentationModule;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** The kernel library: quantize, dequantize, matmul and backend selection. */
public class KernelsInstrumentationModule extends InstrumentationModule implements ExperimentalInstrumentationModule {

  public KernelsInstrumentationModule() {
    super("bitnet-kernels", "bitnet");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.bitnet.kernels.BitNetKernels");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new BitNetKernelsInstrumentation());
  }

  @Override
  public HelperClassStrategy helperClassStrategy() {
    return HelperClassStrategy.ISOLATED;
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    String p = getClass().getPackage().getName() + ".";
    List<String> helpers = new java.util.ArrayList<>(io.bitnet.agent.instrumentation.SharedHelpers.NAMES);
    helpers.addAll(List.of(p + "KernelsSingletons", p + "KernelCalls", p + "Accuracy", p + "TensorNames"));
    return helpers;
  }
}
