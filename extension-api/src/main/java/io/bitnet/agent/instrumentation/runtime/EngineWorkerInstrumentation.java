package io.bitnet.agent.instrumentation.runtime;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.context.Scope;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The engine's batch loop: runs each batch in the trace context of its first request. */
public class EngineWorkerInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.bitnet.runtime.InferenceEngine");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("runBatch").and(takesArguments(2)).and(takesArgument(0, List.class)).and(takesArgument(1, long.class)),
        getClass().getName() + "$RunBatchAdvice");
  }

  @SuppressWarnings("unused")
  public static class RunBatchAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static Scope onEnter(@Advice.Argument(0) List<?> batch) {
      return RequestContexts.enterBatch(batch);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(@Advice.Enter Scope scope) {
      RequestContexts.exitBatch(scope);
    }
  }

  /** Where a request is queued, on the thread that called generate. */
  public static class QueuedRequestInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("io.bitnet.runtime.InferenceEngine$Pending");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          isConstructor().and(takesArgument(0, named("io.bitnet.runtime.InferenceEngine"))),
          getClass().getName() + "$ConstructorAdvice");
    }

    @SuppressWarnings("unused")
    public static class ConstructorAdvice {

      @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
      public static void onExit(@Advice.This Object queued) {
        RequestContexts.capture(queued);
      }
    }
  }
}
