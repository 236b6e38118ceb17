package io.bitnet.agent.instrumentation.runtime;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ModelConfig;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Model loading: every public static factory of {@code BitNetModel} that takes a config first. */
public class BitNetModelInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.bitnet.runtime.BitNetModel");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("synthetic").and(isPublic()).and(isStatic())
            .and(takesArgument(0, named("io.bitnet.runtime.ModelConfig")))
            .and(returns(named("io.bitnet.runtime.BitNetModel"))),
        getClass().getName() + "$LoadAdvice");
  }

  @SuppressWarnings("unused")
  public static class LoadAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static ModelLoadScope onEnter(@Advice.Argument(0) ModelConfig config) {
      return ModelLoadScope.start(config);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter ModelLoadScope scope,
        @Advice.Return BitNetModel model,
        @Advice.Thrown Throwable error) {
      ModelLoadScope.end(scope, model, error);
    }
  }
}
