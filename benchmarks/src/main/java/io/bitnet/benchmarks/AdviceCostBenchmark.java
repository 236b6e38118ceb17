package io.bitnet.benchmarks;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.ModelConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small calls, so that the advice's fixed cost shows: {@link AgentOverheadReport} runs this with and
 * without the agent in separate forks and reports the difference per call. The kernel calls use a
 * 64x128 I2_S tensor; {@code generate} is one blocking request of one token on the tiny model (its
 * advice makes the text_completion span with prefill and decode children, and the request metrics).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
public class AdviceCostBenchmark {

  private static final int ROWS = 64;
  private static final int COLS = 128;

  private BitNetKernels kernels;
  private TernaryTensor tensor;
  private float[] weights;
  private float[] input;
  private float[] output;
  private BitNetModel model;
  private InferenceEngine engine;
  private GenerationRequest request;

  @Setup(Level.Trial)
  public void setUp() {
    kernels = BitNetKernels.builder().threads(1).build();
    weights = new Shape(ROWS, COLS).randomWeights(3);
    tensor = kernels.quantize("bench.small", weights, ROWS, COLS, QuantizationFormat.I2_S);
    input = new Shape(1, COLS).randomWeights(4);
    output = new float[ROWS];
    model = BitNetModel.synthetic(ModelConfig.TINY, 7, kernels, BitNetModel.LoadProgress.NONE);
    engine = InferenceEngine.builder(model).workers(1).batchWindow(java.time.Duration.ZERO).build();
    request = GenerationRequest.builder("hi").maxTokens(1).seed(1).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    model.close();
    tensor.close();
    kernels.close();
  }

  @Benchmark
  public float[] matmul() {
    kernels.matmul(tensor, input, 1, output);
    return output;
  }

  @Benchmark
  public float quantizeAndClose() {
    try (TernaryTensor t = kernels.quantize("bench.q", weights, ROWS, COLS, QuantizationFormat.I2_S)) {
      return t.scale();
    }
  }

  @Benchmark
  public float[] dequantize() {
    return kernels.dequantize(tensor);
  }

  @Benchmark
  public GenerationResult generate() {
    return engine.generate(request);
  }
}
