package io.bitnet.agent.instrumentation.runtime;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.bitnet.agent.instrumentation.BitNetInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** The inference runtime: generate, model loading and engine construction. */
public class RuntimeInstrumentationModule extends BitNetInstrumentationModule {

  public RuntimeInstrumentationModule() {
    super("bitnet-runtime");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.bitnet.runtime.InferenceEngine");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new InferenceEngineInstrumentation(), new BitNetModelInstrumentation(),
        new GgufModelLoaderInstrumentation(),
        new EngineWorkerInstrumentation(), new EngineWorkerInstrumentation.QueuedRequestInstrumentation());
  }

  @Override
  protected List<String> moduleHelpers() {
    return List.of("RuntimeSingletons", "InferenceMetrics", "InferenceCall",
        "InferenceAttributesGetter", "InferenceAttributesExtractor", "InferenceScope", "ModelLoadScope",
        "RequestContexts", "TokenEventListener", "RequestLabels", "RequestLabels$Cache");
  }
}
