package io.bitnet.agent.instrumentation.runtime;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.TokenListener;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.Advice.AssignReturned.ToArguments.ToArgument;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code InferenceEngine.generate}, blocking and streaming, and engine construction. */
public class InferenceEngineInstrumentation implements TypeInstrumentation {

  private static final String REQUEST = "io.bitnet.runtime.GenerationRequest";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.bitnet.runtime.InferenceEngine");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("generate").and(isPublic()).and(takesArguments(1)).and(takesArgument(0, named(REQUEST))),
        getClass().getName() + "$GenerateAdvice");
    transformer.applyAdviceToMethod(
        named("generate").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(REQUEST)))
            .and(takesArgument(1, named("io.bitnet.runtime.TokenListener"))),
        getClass().getName() + "$StreamingGenerateAdvice");
    transformer.applyAdviceToMethod(
        isConstructor().and(takesArguments(1)).and(takesArgument(0, named("io.bitnet.runtime.InferenceEngine$Builder"))),
        getClass().getName() + "$ConstructorAdvice");
  }

  @SuppressWarnings("unused")
  public static class GenerateAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static InferenceScope onEnter(@Advice.This InferenceEngine engine, @Advice.Argument(0) GenerationRequest request) {
      return InferenceScope.start(engine, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter InferenceScope scope,
        @Advice.Return GenerationResult result,
        @Advice.Thrown Throwable error) {
      InferenceScope.end(scope, result, error);
    }
  }

  /** The streaming form; with token events on, its listener is wrapped to add an event per token. */
  @SuppressWarnings("unused")
  public static class StreamingGenerateAdvice {

    @Advice.AssignReturned.ToArguments(@ToArgument(value = 1, index = 1, typing = Assigner.Typing.DYNAMIC))
    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static Object[] onEnter(
        @Advice.This InferenceEngine engine,
        @Advice.Argument(0) GenerationRequest request,
        @Advice.Argument(1) TokenListener listener) {
      InferenceScope scope = InferenceScope.start(engine, request);
      return new Object[] {scope, TokenEventListener.wrap(listener)};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter Object[] enter,
        @Advice.Return GenerationResult result,
        @Advice.Thrown Throwable error) {
      InferenceScope.end((InferenceScope) enter[0], result, error);
    }
  }

  @SuppressWarnings("unused")
  public static class ConstructorAdvice {

    @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
    public static void onExit(@Advice.This InferenceEngine engine) {
      RuntimeSingletons.metrics().register(engine);
    }
  }
}
