package io.bitnet.agent.instrumentation.runtime;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.internal.ExperimentalInstrumentationModule;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** The inference runtime: generate, model loading and engine construction. */
public class RuntimeInstrumentationModule extends InstrumentationModule implements ExperimentalInstrumentationModule {

  public RuntimeInstrumentationModule() {
    super("bitnet-runtime", "bitnet");
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
  public HelperClassStrategy helperClassStrategy() {
    return HelperClassStrategy.ISOLATED;
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    String p = getClass().getPackage().getName() + ".";
    List<String> helpers = new java.util.ArrayList<>(io.bitnet.agent.instrumentation.SharedHelpers.NAMES);
    helpers.addAll(List.of(p + "RuntimeSingletons", p + "InferenceMetrics", p + "InferenceCall",
        p + "InferenceAttributesGetter", p + "InferenceAttributesExtractor", p + "InferenceScope", p + "ModelLoadScope",
        p + "RequestContexts", p + "TokenEventListener"));
    return helpers;
  }
}
