package io.bitnet.agent.instrumentation.kernels;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.bitnet.agent.instrumentation.BitNetInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** The kernel library: quantize, dequantize, matmul and backend selection. */
public class KernelsInstrumentationModule extends BitNetInstrumentationModule {

  public KernelsInstrumentationModule() {
    super("bitnet-kernels");
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
  protected List<String> moduleHelpers() {
    return List.of("KernelsSingletons", "KernelCalls", "Accuracy", "TensorNames");
  }
}
