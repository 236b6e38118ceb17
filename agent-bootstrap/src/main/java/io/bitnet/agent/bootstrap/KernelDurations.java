package io.bitnet.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Duration histograms of the kernel calls (quantize, dequantize, matmul), one per (format, operation),
 * kept as striped counters instead of in the OpenTelemetry SDK.
 *
 * <p>Why: a decode step makes hundreds of matmul calls, and the SDK's synchronous histogram costs about
 * 50 ns per record (a storage lookup by attributes, a bucket search, a lock). Here the advice records
 * with a bucket search over integer nanosecond bounds and two {@link LongAdder} increments, and the
 * agent's {@code KernelDurationsProducer} turns the counters into the same histogram at collection.
 *
 * <p>This class sits on the bootstrap class path so that both sides see one copy: the advice helpers
 * run in class loaders of the application, the producer in the agent's. It uses JDK types only.
 */
public final class KernelDurations {

  /** Upper bounds of the buckets, in seconds (the catalog's kernel buckets, 10 µs to 1 s). */
  public static final List<Double> BOUNDARIES_SECONDS = List.of(
      1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1.0);

  private static final long[] BOUNDARIES_NANOS = new long[BOUNDARIES_SECONDS.size()];

  static {
    for (int i = 0; i < BOUNDARIES_NANOS.length; i++) {
      BOUNDARIES_NANOS[i] = Math.round(BOUNDARIES_SECONDS.get(i) * 1e9);
    }
  }

  /** At most a handful: formats times operations. Bounded anyway, since the labels come from callers. */
  static final int MAX_SERIES = 64;

  private static final Map<String, Series> SERIES = new ConcurrentHashMap<>();

  private KernelDurations() {}

  /**
   * The histogram of one format and operation, created on first use; callers keep it. Past
   * {@value #MAX_SERIES} label pairs, returns a series that records nothing.
   */
  public static Series series(String format, String operation) {
    String key = format + '\u0000' + operation;
    Series s = SERIES.get(key);
    if (s != null) {
      return s;
    }
    if (SERIES.size() >= MAX_SERIES) {
      return Series.DISCARDING;
    }
    return SERIES.computeIfAbsent(key, k -> new Series(format, operation, true));
  }

  /** Every series created so far, in no particular order. */
  public static List<Series> all() {
    return new ArrayList<>(SERIES.values());
  }

  /** The bucket of a duration: the first bound it does not exceed, or the overflow bucket. */
  static int bucket(long nanos) {
    int lo = 0;
    int hi = BOUNDARIES_NANOS.length;
    while (lo < hi) { // the first bound >= nanos, as explicit-bucket histograms place a value equal to a bound
      int mid = (lo + hi) >>> 1;
      if (BOUNDARIES_NANOS[mid] < nanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** One histogram: a counter per bucket and the sum in nanoseconds. Safe for concurrent use. */
  public static final class Series {

    static final Series DISCARDING = new Series("", "", false);

    private final String format;
    private final String operation;
    private final boolean recording;
    private final LongAdder[] buckets = new LongAdder[BOUNDARIES_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    private Series(String format, String operation, boolean recording) {
      this.format = format;
      this.operation = operation;
      this.recording = recording;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    public String format() {
      return format;
    }

    public String operation() {
      return operation;
    }

    /** Records one call; a negative duration (a clock step) counts as zero. */
    public void record(long nanos) {
      if (!recording) {
        return;
      }
      long n = Math.max(0, nanos);
      buckets[bucket(n)].increment();
      sumNanos.add(n);
    }

    /**
     * The counts per bucket, the last one past the largest bound. Read while calls record, the counts
     * and {@link #sumNanos()} may disagree by the calls in flight; each is exact once they finish.
     */
    public long[] bucketCounts() {
      long[] counts = new long[buckets.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = buckets[i].sum();
      }
      return counts;
    }

    /** Calls recorded: the sum of the bucket counts. */
    public long count() {
      long total = 0;
      for (LongAdder b : buckets) {
        total += b.sum();
      }
      return total;
    }

    public long sumNanos() {
      return sumNanos.sum();
    }
  }
}
