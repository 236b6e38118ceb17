package io.bitnet.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.Priority;
import java.util.Iterator;
import java.util.Set;

/**
 * A parsed {@code POST /v1/completions} body: OpenAI's fields {@code model}, {@code prompt},
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code seed}, {@code stream}, plus
 * {@code priority} ({@code high}, {@code normal}, {@code low}). Unknown fields are rejected, so a typo
 * does not pass silently.
 */
record CompletionRequest(String model, GenerationRequest generation, boolean stream) {

  private static final Set<String> FIELDS =
      Set.of("model", "prompt", "max_tokens", "temperature", "top_p", "seed", "stream", "priority", "user");

  static CompletionRequest parse(byte[] body, String servedModel, String requestId) {
    JsonNode root;
    try {
      root = HttpJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(null, "the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(null, "the body must be a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(f, "unknown field '" + f + "'");
      }
    }
    String model = text(root, "model", servedModel);
    if (!model.equals(servedModel)) {
      throw new ApiException(404, "invalid_request_error", "model",
          "the model '" + model + "' does not exist; this server serves '" + servedModel + "'");
    }
    JsonNode promptNode = root.get("prompt");
    if (promptNode == null || promptNode.isNull()) {
      throw ApiException.badRequest("prompt", "prompt is required");
    }
    if (!promptNode.isTextual()) {
      throw ApiException.badRequest("prompt", "prompt must be a string");
    }
    GenerationRequest.Builder b = GenerationRequest.builder(promptNode.asText()).id(requestId);
    b.maxTokens(integer(root, "max_tokens", 16));
    b.temperature(number(root, "temperature", 1.0f));
    b.topP(number(root, "top_p", 1.0f));
    if (root.hasNonNull("seed")) {
      b.seed(longValue(root, "seed"));
    } else {
      b.seed(requestId.hashCode());
    }
    try {
      b.priority(Priority.parse(text(root, "priority", "normal")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("priority", e.getMessage());
    }
    boolean stream = false;
    if (root.hasNonNull("stream")) {
      if (!root.get("stream").isBoolean()) {
        throw ApiException.badRequest("stream", "stream must be true or false");
      }
      stream = root.get("stream").asBoolean();
    }
    return new CompletionRequest(model, b.build(), stream);
  }

  private static String text(JsonNode root, String field, String fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(field, field + " must be a string");
    }
    return n.asText();
  }

  private static int integer(JsonNode root, String field, int fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw ApiException.badRequest(field, field + " must be an integer");
    }
    return n.asInt();
  }

  private static long longValue(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ApiException.badRequest(field, field + " must be an integer");
    }
    return n.asLong();
  }

  private static float number(JsonNode root, String field, float fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw ApiException.badRequest(field, field + " must be a number");
    }
    return (float) n.asDouble();
  }
}
