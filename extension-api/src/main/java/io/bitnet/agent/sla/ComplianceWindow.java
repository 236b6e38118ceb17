package io.bitnet.agent.sla;

import java.time.Duration;
import java.util.Arrays;

/**
 * Requests and compliant requests over a sliding window, in a fixed ring of time buckets (one per
 * second, or wider for windows over {@value #MAX_BUCKETS} seconds): memory does not grow with traffic.
 */
final class ComplianceWindow {

  static final int MAX_BUCKETS = 600;
  private static final long SECOND = 1_000_000_000L;

  private final long bucketNanos;
  private final long[] ids; // the bucket number each slot holds; slots start empty (-1)
  private final long[] total;
  private final long[] compliant;

  ComplianceWindow(Duration window) {
    long windowNanos = Math.max(SECOND, window.toNanos());
    long width = Math.max(SECOND, ceilDiv(windowNanos, MAX_BUCKETS));
    int buckets = (int) ceilDiv(windowNanos, width);
    this.bucketNanos = width;
    this.ids = new long[buckets];
    this.total = new long[buckets];
    this.compliant = new long[buckets];
    Arrays.fill(ids, -1);
  }

  int buckets() {
    return ids.length;
  }

  /** Counts one request that ended at that time (epoch nanoseconds). */
  synchronized void record(long endEpochNanos, boolean ok) {
    long id = Math.floorDiv(endEpochNanos, bucketNanos);
    int slot = (int) Math.floorMod(id, (long) ids.length);
    if (ids[slot] > id) {
      return; // older than the window the ring holds
    }
    if (ids[slot] != id) {
      ids[slot] = id;
      total[slot] = 0;
      compliant[slot] = 0;
    }
    total[slot]++;
    if (ok) {
      compliant[slot]++;
    }
  }

  /** Requests, and compliant requests, that ended within the window before that time. */
  synchronized long[] counts(long nowEpochNanos) {
    long now = Math.floorDiv(nowEpochNanos, bucketNanos);
    long requests = 0;
    long ok = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > now - ids.length && ids[i] <= now) {
        requests += total[i];
        ok += compliant[i];
      }
    }
    return new long[] {requests, ok};
  }

  /** Compliant share of the requests in the window; 1.0 when there were none. */
  double ratio(long nowEpochNanos) {
    long[] c = counts(nowEpochNanos);
    return c[0] == 0 ? 1.0 : (double) c[1] / c[0];
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
