package io.bitnet.agent.instrumentation.kernels;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.bitnet.kernels.BackendSelection;
import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** quantize, fromPacked, dequantize and matmul of {@code io.bitnet.kernels.BitNetKernels}, and its construction. */
public class BitNetKernelsInstrumentation implements TypeInstrumentation {

  private static final String TENSOR = "io.bitnet.kernels.TernaryTensor";
  private static final String FORMAT = "io.bitnet.kernels.QuantizationFormat";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.bitnet.kernels.BitNetKernels");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("quantize").and(isPublic()).and(takesArguments(5))
            .and(takesArgument(0, String.class)).and(takesArgument(1, float[].class))
            .and(takesArgument(2, int.class)).and(takesArgument(3, int.class)).and(takesArgument(4, named(FORMAT))),
        getClass().getName() + "$QuantizeAdvice");
    transformer.applyAdviceToMethod(
        named("fromPacked").and(isPublic()).and(takesArguments(6))
            .and(takesArgument(0, String.class)).and(takesArgument(1, named(FORMAT)))
            .and(takesArgument(4, byte[].class)).and(takesArgument(5, float.class)),
        getClass().getName() + "$FromPackedAdvice");
    transformer.applyAdviceToMethod(
        named("dequantize").and(isPublic()).and(takesArguments(1)).and(takesArgument(0, named(TENSOR))),
        getClass().getName() + "$DequantizeAdvice");
    transformer.applyAdviceToMethod(
        named("matmul").and(isPublic()).and(takesArguments(4))
            .and(takesArgument(0, named(TENSOR))).and(takesArgument(1, float[].class))
            .and(takesArgument(2, int.class)).and(takesArgument(3, float[].class)),
        getClass().getName() + "$MatmulAdvice");
    transformer.applyAdviceToMethod(
        isConstructor().and(takesArguments(2)).and(takesArgument(0, named("io.bitnet.kernels.BackendSelection"))),
        getClass().getName() + "$ConstructorAdvice");
  }

  @SuppressWarnings("unused")
  public static class QuantizeAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static long onEnter() {
      return KernelCalls.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter long start,
        @Advice.Argument(0) String name,
        @Advice.Argument(1) float[] weights,
        @Advice.Argument(4) QuantizationFormat format,
        @Advice.Return TernaryTensor result,
        @Advice.Thrown Throwable error) {
      KernelCalls.quantized(start, name, weights, format, result, error);
    }
  }

  @SuppressWarnings("unused")
  public static class FromPackedAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static long onEnter() {
      return KernelCalls.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter long start,
        @Advice.Argument(0) String name,
        @Advice.Argument(1) QuantizationFormat format,
        @Advice.Return TernaryTensor result) {
      KernelCalls.adopted(start, name, format, result);
    }
  }

  @SuppressWarnings("unused")
  public static class DequantizeAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static long onEnter() {
      return KernelCalls.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter long start, @Advice.Argument(0) TernaryTensor tensor, @Advice.Thrown Throwable error) {
      KernelCalls.dequantized(start, tensor, error);
    }
  }

  @SuppressWarnings("unused")
  public static class MatmulAdvice {

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static long onEnter() {
      return KernelCalls.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void onExit(
        @Advice.Enter long start,
        @Advice.This BitNetKernels kernels,
        @Advice.Argument(0) TernaryTensor tensor,
        @Advice.Argument(1) float[] input,
        @Advice.Argument(2) int batch,
        @Advice.Argument(3) float[] output,
        @Advice.Thrown Throwable error) {
      KernelCalls.multiplied(start, kernels, tensor, input, batch, output, error);
    }
  }

  @SuppressWarnings("unused")
  public static class ConstructorAdvice {

    @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
    public static void onExit(@Advice.Argument(0) BackendSelection selection) {
      KernelCalls.constructed(selection);
    }
  }
}
