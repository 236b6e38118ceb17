package io.bitnet.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes allocated over a window, from a JVM's {@code -Xlog:gc+heap=debug} log: the heap grows only by
 * allocation between collections, so the allocation is the growth from each collection's "after" to
 * the next one's "before", plus the growth from the window's start to the first collection and from
 * the last collection to the window's end.
 */
final class GcLog {

  private static final Pattern PHASE = Pattern.compile("GC\\((\\d+)\\) Heap (before|after) GC");
  private static final Pattern USED = Pattern.compile("GC\\((\\d+)\\)\\s+garbage-first heap\\s+total \\d+K, used (\\d+)K");

  /** Where a window starts: the last collection logged so far, and the heap in use then. */
  record Mark(int lastGc, long heapUsedBytes) {}

  /** Heap in use before and after one collection, in bytes. */
  private record Collection(long before, long after) {}

  private GcLog() {}

  static Mark mark(Path log, long heapUsedBytes) throws IOException {
    Map<Integer, Collection> gcs = parse(log);
    return new Mark(gcs.isEmpty() ? -1 : ((TreeMap<Integer, Collection>) gcs).lastKey(), heapUsedBytes);
  }

  /** Bytes allocated from the mark to now, when the heap holds {@code heapUsedNow}. */
  static double allocatedSince(Path log, Mark start, long heapUsedNow) throws IOException {
    long allocated = 0;
    long from = start.heapUsedBytes();
    for (Map.Entry<Integer, Collection> e : parse(log).entrySet()) {
      if (e.getKey() <= start.lastGc() || e.getValue().before < 0 || e.getValue().after < 0) {
        continue;
      }
      allocated += Math.max(0, e.getValue().before - from);
      from = e.getValue().after;
    }
    return allocated + Math.max(0, heapUsedNow - from);
  }

  private static Map<Integer, Collection> parse(Path log) throws IOException {
    TreeMap<Integer, Collection> gcs = new TreeMap<>();
    if (!Files.exists(log)) {
      return gcs;
    }
    List<String> lines = Files.readAllLines(log);
    String phase = null;
    for (String line : lines) {
      Matcher p = PHASE.matcher(line);
      if (p.find()) {
        phase = p.group(2);
        continue;
      }
      Matcher u = USED.matcher(line);
      if (u.find() && phase != null) {
        int gc = Integer.parseInt(u.group(1));
        long used = Long.parseLong(u.group(2)) * 1024;
        Collection c = gcs.getOrDefault(gc, new Collection(-1, -1));
        gcs.put(gc, phase.equals("before") ? new Collection(used, c.after) : new Collection(c.before, used));
        phase = null;
      }
    }
    return gcs;
  }
}
