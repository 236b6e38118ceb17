package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.Priority;
import io.opentelemetry.api.common.Attributes;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribute sets that one model's requests record their metrics with, built once per model and
 * format instead of on every request: building and sorting a set costs about as much as the record
 * that uses it. Sets with an error type are built per failed request (errors are rare).
 */
final class RequestLabels {

  /** The request statuses of {@code bitnet_inference_requests_total}. */
  static final List<String> STATUSES = List.of("ok", "error", "rejected", "cancelled");

  final String model;
  final String format;
  final Attributes byModel;
  final Attributes genAi;
  final Attributes throughput;
  private final Map<String, Attributes> requests;
  private final Map<String, Attributes> duration;
  private final Map<Priority, Attributes> active = new EnumMap<>(Priority.class);

  private RequestLabels(String model, String format) {
    this.model = model;
    this.format = format;
    byModel = Attributes.of(BitNetAttributes.MODEL_ID, model);
    genAi = Attributes.of(BitNetAttributes.GEN_AI_OPERATION_NAME, InferenceAttributesGetter.OPERATION,
        BitNetAttributes.GEN_AI_PROVIDER_NAME, InferenceAttributesGetter.PROVIDER, BitNetAttributes.GEN_AI_REQUEST_MODEL, model);
    throughput = Attributes.of(BitNetAttributes.MODEL_ID, model, BitNetAttributes.QUANTIZATION_FORMAT, format,
        BitNetAttributes.DEVICE, "cpu");
    Map<String, Attributes> byStatus = new HashMap<>();
    Map<String, Attributes> durationByStatus = new HashMap<>();
    for (String status : STATUSES) {
      byStatus.put(status, requestsAttributes(status));
      durationByStatus.put(status, durationAttributes(status));
    }
    requests = Map.copyOf(byStatus);
    duration = Map.copyOf(durationByStatus);
    for (Priority p : Priority.values()) {
      active.put(p, activeAttributes(p));
    }
  }

  /**
   * Bounded cache of the sets by model. A model file has one format, so the model id is the key and no
   * key object is allocated per request; a model seen in a second format gets that format's sets built
   * per call.
   */
  static final class Cache {

    /** Models beyond this many get their sets built per request; the SDK bounds the series anyway. */
    static final int MAX_CACHED = 64;

    private final Map<String, RequestLabels> byModel = new ConcurrentHashMap<>();

    /** The sets of {@code model} served in {@code format}. */
    RequestLabels get(String model, String format) {
      RequestLabels labels = byModel.get(model);
      if (labels == null && byModel.size() < MAX_CACHED) {
        labels = byModel.computeIfAbsent(model, m -> new RequestLabels(model, format));
      }
      return labels != null && labels.format.equals(format) ? labels : new RequestLabels(model, format);
    }

    int size() {
      return byModel.size();
    }
  }

  /** {@code bitnet_active_inference_requests}: model and priority (a null priority is normal). */
  Attributes active(Priority priority) {
    return active.get(priority == null ? Priority.NORMAL : priority);
  }

  /** {@code bitnet_inference_requests_total}: model, status, device. */
  Attributes requests(String status) {
    Attributes a = requests.get(status);
    return a != null ? a : requestsAttributes(status);
  }

  /** {@code bitnet_inference_duration_seconds}: model, format, device, status. */
  Attributes duration(String status) {
    Attributes a = duration.get(status);
    return a != null ? a : durationAttributes(status);
  }

  /** The GenAI set, with {@code error.type} when the request failed. */
  Attributes genAi(String errorType) {
    return errorType == null ? genAi : genAi.toBuilder().put(BitNetAttributes.ERROR_TYPE, errorType).build();
  }

  private Attributes requestsAttributes(String status) {
    return Attributes.of(BitNetAttributes.MODEL_ID, model, BitNetAttributes.STATUS, status, BitNetAttributes.DEVICE, "cpu");
  }

  private Attributes durationAttributes(String status) {
    return Attributes.of(BitNetAttributes.MODEL_ID, model, BitNetAttributes.QUANTIZATION_FORMAT, format,
        BitNetAttributes.DEVICE, "cpu", BitNetAttributes.STATUS, status);
  }

  private Attributes activeAttributes(Priority priority) {
    return Attributes.of(BitNetAttributes.MODEL_ID, model, BitNetAttributes.PRIORITY, priority.label());
  }
}
