package io.bitnet.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;

/** The baseline: a plain single-thread FP32 Java GEMV of the same shapes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class Fp32GemvBenchmark {

  @Param({"2560x2560", "6912x2560", "2560x6912"})
  public String shape;

  @Param({"1", "8"})
  public int batch;

  private int rows;
  private int cols;
  private float[] weights;
  private float[] input;
  private float[] output;

  @Setup(Level.Trial)
  public void setUp() {
    Shape s = Shape.parse(shape);
    rows = s.rows();
    cols = s.cols();
    weights = s.randomWeights(1);
    Random r = new Random(2);
    input = new float[batch * cols];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    output = new float[batch * rows];
  }

  @Benchmark
  public float[] gemv() {
    for (int v = 0; v < batch; v++) {
      for (int r = 0; r < rows; r++) {
        float acc = 0;
        int w = r * cols;
        int x = v * cols;
        for (int k = 0; k < cols; k++) {
          acc += weights[w + k] * input[x + k];
        }
        output[v * rows + r] = acc;
      }
    }
    return output;
  }
}
