package io.bitnet.benchmarks;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code BitNetKernels.matmul} on the BitNet b1.58 2B-4T shapes, per format, backend, batch and thread
 * count. The weights stay resident between calls, as in decode.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TernaryMatmulBenchmark {

  @Param({"2560x2560", "6912x2560", "2560x6912"})
  public String shape;

  @Param({"1", "8"})
  public int batch;

  @Param({"1", "2"})
  public int threads;

  @Param({"I2_S", "TL1", "TL2"})
  public QuantizationFormat format;

  @Param({"avx512", "avx2", "scalar", "java"})
  public String backend;

  private BitNetKernels kernels;
  private TernaryTensor tensor;
  private float[] input;
  private float[] output;

  @Setup(Level.Trial)
  public void setUp() {
    KernelBackend wanted = KernelBackend.parse(backend).orElseThrow();
    kernels = BitNetKernels.builder().backend(wanted).threads(threads).build();
    if (kernels.backend().backend() != wanted) {
      throw new IllegalStateException("backend " + backend + " is not available: " + kernels.backend());
    }
    Shape s = Shape.parse(shape);
    tensor = kernels.quantize("bench", s.randomWeights(1), s.rows(), s.cols(), format);
    Random r = new Random(2);
    input = new float[batch * s.cols()];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    output = new float[batch * s.rows()];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tensor.close();
    kernels.close();
  }

  @Benchmark
  public float[] matmul() {
    kernels.matmul(tensor, input, batch, output);
    return output;
  }
}
