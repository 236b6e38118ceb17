package io.bitnet.agent.instrumentation.runtime;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.bitnet.runtime.gguf.GgufModel;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Model loading from a GGUF file: {@code GgufModelLoader.load(Path, ...)}. The model id (the file's
 * {@code general.name}) is only known once the header is read, so the span gets it at the end.
 */
public class GgufModelLoaderInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.bitnet.runtime.gguf.GgufModelLoader");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("load").and(isPublic()).and(isStatic())
            .and(takesArgument(0, named("java.nio.file.Path")))
            .and(returns(named("io.bitnet.runtime.gguf.GgufModel"))),
        getClass().getName() + "$LoadAdvice");
  }

  @SuppressWarnings("unused")
  public static class LoadAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static ModelLoadScope onEnter(@Advice.Argument(0) Path file) {
      return ModelLoadScope.startFromFile(file);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter ModelLoadScope scope,
        @Advice.Return GgufModel loaded,
        @Advice.Thrown Throwable error) {
      ModelLoadScope.end(scope, loaded == null ? null : loaded.model(), error);
    }
  }
}
