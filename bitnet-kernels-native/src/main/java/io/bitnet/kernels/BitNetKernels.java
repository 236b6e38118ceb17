package io.bitnet.kernels;

import io.bitnet.kernels.internal.Int8Storage;
import io.bitnet.kernels.internal.JavaStorage;
import io.bitnet.kernels.internal.NativeKernels;
import io.bitnet.kernels.internal.NativeStorage;
import io.bitnet.kernels.internal.RowExecutor;
import io.bitnet.kernels.internal.TensorStorage;
import io.bitnet.kernels.internal.TernaryCodec;
import io.bitnet.kernels.internal.Validation;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The BitNet kernel library: quantize FP32 weights to ternary tensors, dequantize them, and multiply
 * them with activation vectors.
 *
 * <p>{@link #getDefault()} picks the best backend this machine supports: AVX-512 VNNI, AVX2 or scalar C
 * kernels through JNA, or the pure-Java backend when the native library cannot load. Two system
 * properties steer it: {@code bitnet.kernels.backend} ({@code avx512}, {@code avx2}, {@code scalar},
 * {@code java}) and {@code bitnet.kernels.threads} (default: available processors). Every backend
 * gives the same int32 dot products, and so the same float outputs.
 *
 * <p>Every method validates its arguments and throws {@link IllegalArgumentException} (bad argument)
 * or {@link IllegalStateException} (closed tensor, exhausted memory) with a message that names it.
 * Instances are thread-safe.
 */
public final class BitNetKernels implements AutoCloseable {

  /** System property that forces a backend. */
  public static final String BACKEND_PROPERTY = "bitnet.kernels.backend";

  /** System property with the number of threads a matmul uses. */
  public static final String THREADS_PROPERTY = "bitnet.kernels.threads";

  private static final System.Logger LOG = System.getLogger(BitNetKernels.class.getName());

  private final BackendSelection selection;
  private final RowExecutor executor;

  private BitNetKernels(BackendSelection selection, int threads) {
    this.selection = selection;
    this.executor = new RowExecutor(threads);
  }

  /** The shared instance configured from system properties. Never closed. */
  public static BitNetKernels getDefault() {
    return DefaultHolder.INSTANCE;
  }

  /** A builder for an instance with its own backend and thread pool; close it when done. */
  public static Builder builder() {
    return new Builder();
  }

  /** The backends this machine can run, best first. {@link KernelBackend#JAVA} is always one. */
  public static Set<KernelBackend> supportedBackends() {
    Set<KernelBackend> result = EnumSet.noneOf(KernelBackend.class);
    if (NativeKernels.isLoaded()) {
      for (KernelBackend b : KernelBackend.values()) {
        if (b.isNative() && NativeKernels.isaSupported(b.isa())) {
          result.add(b);
        }
      }
    }
    result.add(KernelBackend.JAVA);
    return result;
  }

  /** Which backend runs, what was requested, and why it fell back if it did. */
  public BackendSelection backend() {
    return selection;
  }

  /** Threads a matmul is split over. */
  public int threads() {
    return executor.threads();
  }

  /**
   * Quantizes FP32 weights to a ternary tensor: absmean ternarisation ({@code scale = mean|w|},
   * {@code t = clamp(rint(w / scale), -1, 1)}), then packing into {@code format}.
   *
   * @param name a name for logs and telemetry, e.g. {@code blk.0.ffn_up.weight}
   * @param weights {@code rows * cols} finite values, row-major
   * @param rows output features, positive
   * @param cols input features, a positive multiple of {@link QuantizationFormat#BLOCK_SIZE}
   */
  public TernaryTensor quantize(String name, float[] weights, int rows, int cols, QuantizationFormat format) {
    Validation.requireName(name);
    Validation.requireShape(rows, cols, format);
    Validation.requireWeights(weights, rows, cols);
    KernelBackend backend = selection.backend();
    if (backend.isNative()) {
      float[] scale = new float[1];
      NativeStorage storage = NativeStorage.quantize(backend, format, weights, rows, cols, scale);
      return new TernaryTensor(name, format, rows, cols, scale[0], storage);
    }
    byte[] ternary = new byte[rows * cols];
    float scale = TernaryCodec.ternarise(weights, weights.length, ternary);
    byte[] packed = TernaryCodec.pack(format, ternary, rows, cols);
    return new TernaryTensor(name, format, rows, cols, scale, new JavaStorage(format, rows, cols, packed, scale));
  }

  /**
   * Adopts weights that are already packed in {@code format}'s canonical layout, for example read
   * from a GGUF file. The bytes are copied.
   *
   * @param packed exactly {@link QuantizationFormat#packedSize} bytes of valid codes
   * @param scale the per-tensor scale, finite and positive
   */
  public TernaryTensor fromPacked(
      String name, QuantizationFormat format, int rows, int cols, byte[] packed, float scale) {
    Validation.requireName(name);
    Validation.requireShape(rows, cols, format);
    Validation.requirePacked(packed, format, rows, cols, scale);
    KernelBackend backend = selection.backend();
    TensorStorage storage =
        backend.isNative()
            ? NativeStorage.fromPacked(backend, format, rows, cols, packed, scale)
            : new JavaStorage(format, rows, cols, packed.clone(), scale);
    return new TernaryTensor(name, format, rows, cols, scale, storage);
  }

  /** The tensor's weights as FP32: each ternary value times the scale, row-major. */
  public float[] dequantize(TernaryTensor tensor) {
    Validation.requireNonNull(tensor, "tensor");
    TensorStorage storage = tensor.acquire();
    try {
      float[] out = new float[tensor.rows() * tensor.cols()];
      storage.dequantize(out);
      return out;
    } finally {
      tensor.release();
    }
  }

  /**
   * Multiplies the tensor with {@code batch} activation vectors: {@code output[v * rows + r]} =
   * {@code dot(t[r], q_v) / actScale_v * scale}, where {@code q_v} is the per-vector absmax int8
   * quantisation of {@code input[v * cols ..]} and the dot product is exact in int32.
   *
   * <p>The work runs on the backend that created the tensor, split over this instance's threads.
   *
   * @param input at least {@code batch * cols} finite values, vector after vector
   * @param output at least {@code batch * rows} values
   */
  public void matmul(TernaryTensor tensor, float[] input, int batch, float[] output) {
    Validation.requireNonNull(tensor, "tensor");
    TensorStorage storage = tensor.acquire();
    try {
      Validation.requireMatmul(input, batch, output, tensor.rows(), tensor.cols());
      storage.matmul(input, batch, output, executor);
    } finally {
      tensor.release();
    }
  }

  /**
   * Adopts an int8 matrix: {@code rows x cols} values in [-127, 127], row-major, and one scale per row.
   * The arrays are copied.
   *
   * @param cols a positive multiple of 64
   */
  public Int8Matrix int8Matrix(String name, byte[] values, float[] rowScales, int rows, int cols) {
    Validation.requireName(name);
    Validation.requireInt8Matrix(values, rowScales, rows, cols);
    KernelBackend backend = selection.backend();
    return new Int8Matrix(name, rows, cols, backend, Int8Storage.create(backend, values, rowScales, rows, cols));
  }

  /**
   * Multiplies an int8 matrix with {@code batch} activation vectors: {@code output[v * rows + r]} =
   * {@code dot(w[r], q_v) * rowScale[r] / actScale_v}, with the same int8 activation quantisation as
   * the ternary {@link #matmul(TernaryTensor, float[], int, float[])} and an exact int32 dot product.
   */
  public void matmul(Int8Matrix matrix, float[] input, int batch, float[] output) {
    Validation.requireNonNull(matrix, "matrix");
    Int8Storage storage = matrix.acquire();
    try {
      Validation.requireMatmul(input, batch, output, matrix.rows(), matrix.cols());
      storage.matmul(input, batch, output, executor);
    } finally {
      matrix.release();
    }
  }

  /** Per-vector absmax int8 quantisation, exactly as {@link #matmul} performs it. */
  public QuantizedActivations quantizeActivations(float[] input, int batch, int cols) {
    Validation.requireActivations(input, batch, cols);
    byte[] q = new byte[batch * cols];
    float[] scales = new float[batch];
    int[] sums = new int[batch];
    TernaryCodec.quantizeActivations(input, batch, cols, q, scales, sums);
    return new QuantizedActivations(batch, cols, q, scales, sums);
  }

  /**
   * Exact int32 ternary dot products of every row with every activation vector:
   * {@code output[v * rows + r] = sum_k t[r][k] * q_v[k]}.
   */
  public void dot(TernaryTensor tensor, QuantizedActivations activations, int[] output) {
    Validation.requireNonNull(tensor, "tensor");
    Validation.requireNonNull(activations, "activations");
    TensorStorage storage = tensor.acquire();
    try {
      Validation.requireDot(
          activations.values(), activations.batch(), activations.cols(), output, tensor.rows(), tensor.cols());
      storage.dot(activations.values(), activations.batch(), output, executor);
    } finally {
      tensor.release();
    }
  }

  /** Stops this instance's worker threads. The default instance ignores it. */
  @Override
  public void close() {
    if (this != DefaultHolder.INSTANCE) {
      executor.close();
    }
  }

  @Override
  public String toString() {
    return "BitNetKernels[" + selection + ", threads=" + threads() + "]";
  }

  /** Picks the backend for a request; never throws. */
  static BackendSelection select(Optional<KernelBackend> requested, Optional<String> requestProblem) {
    if (requested.isPresent() && requested.get() == KernelBackend.JAVA) {
      return new BackendSelection(
          KernelBackend.JAVA, requested, Optional.empty(), Optional.empty(), cpuFeaturesOrEmpty());
    }
    if (!NativeKernels.isLoaded()) {
      return new BackendSelection(KernelBackend.JAVA, requested,
          Optional.of(BackendSelection.FallbackKind.NATIVE_LIBRARY_UNAVAILABLE), Optional.of(NativeKernels.loadError()), "");
    }
    String features = NativeKernels.cpuFeatures();
    KernelBackend best = forIsa(NativeKernels.bestIsa());
    if (requested.isPresent()) {
      KernelBackend want = requested.get();
      if (NativeKernels.isaSupported(want.isa())) {
        return new BackendSelection(want, requested, Optional.empty(), Optional.empty(), features);
      }
      String why = "this CPU does not support " + want.simd() + " (detected: " + features + ")";
      return new BackendSelection(
          best, requested, Optional.of(BackendSelection.FallbackKind.CPU_UNSUPPORTED), Optional.of(why), features);
    }
    return new BackendSelection(best, requested,
        requestProblem.map(p -> BackendSelection.FallbackKind.INVALID_CONFIGURATION), requestProblem, features);
  }

  private static String cpuFeaturesOrEmpty() {
    return NativeKernels.isLoaded() ? NativeKernels.cpuFeatures() : "";
  }

  private static KernelBackend forIsa(int isa) {
    for (KernelBackend b : KernelBackend.values()) {
      if (b.isNative() && b.isa() == isa) {
        return b;
      }
    }
    return KernelBackend.NATIVE_SCALAR;
  }

  /** Builds a {@link BitNetKernels} with explicit settings instead of system properties. */
  public static final class Builder {
    private KernelBackend backend;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /**
     * Requests a backend; when this machine cannot run it, the best supported one runs and
     * {@link BackendSelection#fallbackReason()} says why. Null means automatic.
     */
    public Builder backend(KernelBackend backend) {
      this.backend = backend;
      return this;
    }

    /** Threads a matmul is split over; at least 1. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    public BitNetKernels build() {
      return new BitNetKernels(select(Optional.ofNullable(backend), Optional.empty()), threads);
    }
  }

  /** Reads the system properties once, on first use. */
  private static final class DefaultHolder {
    static final BitNetKernels INSTANCE = create();

    private static BitNetKernels create() {
      String rawBackend = System.getProperty(BACKEND_PROPERTY);
      Optional<KernelBackend> requested = KernelBackend.parse(rawBackend);
      Optional<String> backendProblem = Optional.empty();
      if (rawBackend != null && !rawBackend.isBlank() && requested.isEmpty()) {
        backendProblem = Optional.of(
            "invalid " + BACKEND_PROPERTY + "='" + rawBackend + "' (expected avx512, avx2, scalar or java)");
      }
      int threads = Runtime.getRuntime().availableProcessors();
      String rawThreads = System.getProperty(THREADS_PROPERTY);
      if (rawThreads != null && !rawThreads.isBlank()) {
        try {
          int t = Integer.parseInt(rawThreads.trim());
          if (t < 1) {
            throw new NumberFormatException();
          }
          threads = t;
        } catch (NumberFormatException e) {
          LOG.log(Level.WARNING, "bitnet-kernels: invalid " + THREADS_PROPERTY + "='" + rawThreads
              + "' (expected a positive integer); using " + threads);
        }
      }
      BackendSelection selection = select(requested, backendProblem);
      if (selection.isFallback()) {
        LOG.log(Level.WARNING, "bitnet-kernels: running " + selection);
      }
      return new BitNetKernels(selection, threads);
    }
  }
}
