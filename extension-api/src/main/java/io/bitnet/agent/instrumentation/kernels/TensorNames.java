package io.bitnet.agent.instrumentation.kernels;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values of the tensor-name label: the first {@code max} names keep their own
 * series; every later one is reported as {@code other}, so a model with thousands of tensors (or a
 * program that invents names) cannot blow up the metric cardinality.
 */
final class TensorNames {

  static final String OTHER = "other";

  private final int max;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  TensorNames(int max) {
    this.max = max;
  }

  String label(String name) {
    if (name == null) {
      return OTHER;
    }
    if (admitted.contains(name)) {
      return name;
    }
    synchronized (admitted) {
      if (admitted.size() < max) {
        admitted.add(name);
        return name;
      }
    }
    return OTHER;
  }
}
