package io.bitnet.agent.instrumentation.kernels;

import io.bitnet.agent.instrumentation.AdviceErrors;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel advice does, out of the advice itself. Each call records after the fact: the
 * duration from a start time taken on entry, the counter and histograms, the span with its real start
 * time (so nothing is allocated on entry), and sampled accuracy. Never throws.
 */
public final class KernelCalls {

  private KernelCalls() {}

  /**
   * On entry: the start time. The library's public methods do not call each other, so the only nested
   * calls are the agent's own accuracy checks, which {@link KernelsSingletons#inOwnCall} recognises without a per-call
   * thread-local lookup (CallDepth cost two).
   */
  public static long enter() {
    return System.nanoTime();
  }

  public static void quantized(long start, String name, float[] weights, QuantizationFormat format,
      TernaryTensor result, Throwable error) {
    if (KernelsSingletons.inOwnCall() || format == null) {
      return;
    }
    try {
      long end = System.nanoTime();
      KernelsSingletons.record(format, KernelsSingletons.QUANTIZE, end - start);
      if (KernelsSingletons.config().quantizationSpans()) {
        span("quantization_quantize", format, KernelsSingletons.QUANTIZE, name, start, end, error, result);
      }
      if (result != null) {
        KernelsSingletons.recordScale(name, format, result.scale());
        if (KernelsSingletons.sampleAccuracy()) {
          KernelsSingletons.recordAccuracy(format, KernelsSingletons.QUANTIZE, Accuracy.ofTernarisation(weights));
        }
      }
    } catch (RuntimeException e) {
      AdviceErrors.report("KernelCalls", e);
    }
  }

  public static void adopted(long start, String name, QuantizationFormat format, TernaryTensor result) {
    if (KernelsSingletons.inOwnCall() || result == null) {
      return;
    }
    try {
      KernelsSingletons.recordScale(name, format, result.scale());
    } catch (RuntimeException e) {
      AdviceErrors.report("KernelCalls", e);
    }
  }

  public static void dequantized(long start, TernaryTensor tensor, Throwable error) {
    if (KernelsSingletons.inOwnCall() || tensor == null) {
      return;
    }
    try {
      long end = System.nanoTime();
      QuantizationFormat format = tensor.format();
      KernelsSingletons.record(format, KernelsSingletons.DEQUANTIZE, end - start);
      if (KernelsSingletons.config().quantizationSpans()) {
        span("quantization_dequantize", format, KernelsSingletons.DEQUANTIZE, tensor.name(), start, end, error, tensor);
      }
    } catch (RuntimeException e) {
      AdviceErrors.report("KernelCalls", e);
    }
  }

  public static void multiplied(long start, BitNetKernels kernels, TernaryTensor tensor, float[] input, int batch,
      float[] output, Throwable error) {
    if (KernelsSingletons.inOwnCall() || tensor == null) {
      return;
    }
    try {
      long end = System.nanoTime();
      QuantizationFormat format = tensor.format();
      KernelsSingletons.record(format, KernelsSingletons.MATMUL, end - start);
      if (KernelsSingletons.config().matmulSpans()) {
        span("quantization_matmul", format, KernelsSingletons.MATMUL, tensor.name(), start, end, error, tensor);
      }
      if (error == null && KernelsSingletons.sampleAccuracy()) {
        KernelsSingletons.beginOwnCall(); // the check's own matmul is not the application's
        try {
          KernelsSingletons.recordAccuracy(format, KernelsSingletons.MATMUL,
              Accuracy.ofMatmul(kernels, tensor, input, batch, output));
        } finally {
          KernelsSingletons.endOwnCall();
        }
      }
    } catch (RuntimeException e) {
      AdviceErrors.report("KernelCalls", e);
    }
  }

  /** A span from start to end (nanoTime) under the current context, created after the fact. */
  private static void span(String spanName, QuantizationFormat format, int operation, String tensorName,
      long start, long end, Throwable error, TernaryTensor tensor) {
    Context parent = Context.current();
    if (!Span.fromContext(parent).getSpanContext().isValid()) {
      return; // kernel spans only inside a trace: a load or a request
    }
    long nowEpochNanos = System.currentTimeMillis() * 1_000_000L;
    long startEpoch = nowEpochNanos - (System.nanoTime() - start);
    Span span = KernelsSingletons.tracer().spanBuilder(spanName)
        .setParent(parent)
        .setStartTimestamp(startEpoch, TimeUnit.NANOSECONDS)
        .setAllAttributes(KernelsSingletons.spanAttributes(format, operation))
        .setAttribute(BitNetAttributes.QUANTIZATION_OPERATION, KernelsSingletons.OPERATIONS[operation])
        .setAttribute(BitNetAttributes.QUANTIZATION_FORMAT_SPAN, format.label())
        .setAttribute(BitNetAttributes.TENSOR_NAME_SPAN, tensorName == null ? "" : tensorName)
        .startSpan();
    if (tensor != null) {
      span.setAttribute(BitNetAttributes.TENSOR_ROWS, tensor.rows());
      span.setAttribute(BitNetAttributes.TENSOR_COLS, tensor.cols());
      span.setAttribute(BitNetAttributes.KERNEL_BACKEND, tensor.backend().name());
    }
    if (error != null) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR);
    }
    span.end(startEpoch + (end - start), TimeUnit.NANOSECONDS);
  }

  public static void constructed(io.bitnet.kernels.BackendSelection selection) {
    try {
      if (selection != null) {
        KernelsSingletons.recordBackend(selection);
      }
    } catch (RuntimeException e) {
      AdviceErrors.report("KernelCalls", e);
    }
  }
}
