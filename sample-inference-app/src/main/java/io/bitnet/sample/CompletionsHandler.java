package io.bitnet.sample;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.RejectedRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** {@code POST /v1/completions}, OpenAI-compatible, blocking or streamed as server-sent events. */
final class CompletionsHandler implements HttpHandler {

  /** Larger bodies are refused with 413: a prompt never needs this much. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private final ModelLoader loader;
  private final java.util.concurrent.atomic.AtomicLong tokenDelayMillis;

  CompletionsHandler(ModelLoader loader, java.util.concurrent.atomic.AtomicLong tokenDelayMillis) {
    this.loader = loader;
    this.tokenDelayMillis = tokenDelayMillis;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        if (!"POST".equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", "POST");
          throw new ApiException(405, "invalid_request_error", null, "use POST for /v1/completions");
        }
        InferenceEngine engine = loader.engine().orElseThrow(() -> new ApiException(503, "server_error", null,
            loader.failure().map(f -> "the model failed to load: " + f).orElse("the model is still loading; retry shortly")));
        String id = "cmpl-" + UUID.randomUUID();
        CompletionRequest request = CompletionRequest.parse(readBody(exchange), loader.modelId(), id);
        if (request.stream()) {
          stream(exchange, engine, request, id);
        } else {
          GenerationResult result = generate(engine, request, (token, text) -> pause());
          HttpJson.send(exchange, 200, completion(id, request.model(), result.text(), result.finishReason().label(), result));
        }
      } catch (ApiException e) {
        HttpJson.sendError(exchange, e);
      }
    }
  }

  /** The --token-delay switch: a slow consumer, on purpose. */
  private void pause() {
    long delay = tokenDelayMillis.get();
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static GenerationResult generate(InferenceEngine engine, CompletionRequest request,
      io.bitnet.runtime.TokenListener listener) {
    try {
      return engine.generate(request.generation(), listener);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(paramOf(e.getMessage()), e.getMessage());
    } catch (RejectedRequestException e) {
      if (e.reason() == RejectedRequestException.Reason.SHUTTING_DOWN) {
        throw new ApiException(503, "server_error", null, e.getMessage());
      }
      throw new ApiException(429, "rate_limit_error", null, e.getMessage());
    }
  }

  /** SSE: one {@code data:} chunk per token piece, then one with the finish reason, then [DONE]. */
  private void stream(HttpExchange exchange, InferenceEngine engine, CompletionRequest request, String id)
      throws IOException {
    OutputStream out = exchange.getResponseBody();
    boolean[] started = {false};
    GenerationResult result;
    try {
      result = generate(engine, request, (token, text) -> {
        pause();
        try {
          if (!started[0]) {
            startStream(exchange);
            started[0] = true;
          }
          if (!text.isEmpty()) {
            writeEvent(out, completion(id, request.model(), text, null, null));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("the client went away", e);
        }
      });
    } catch (ApiException e) {
      if (started[0]) {
        throw new IOException("failed after the stream started: " + e.getMessage(), e);
      }
      throw e;
    }
    if (!started[0]) {
      startStream(exchange);
    }
    writeEvent(out, completion(id, request.model(), "", result.finishReason().label(), result));
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
  }

  private static void writeEvent(OutputStream out, ObjectNode chunk) throws IOException {
    out.write(("data: " + HttpJson.MAPPER.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode completion(String id, String model, String text, String finish, GenerationResult result) {
    ObjectNode body = HttpJson.MAPPER.createObjectNode();
    body.put("id", id);
    body.put("object", "text_completion");
    body.put("created", System.currentTimeMillis() / 1000);
    body.put("model", model);
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("text", text);
    choice.put("index", 0);
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    if (result != null) {
      ObjectNode usage = body.putObject("usage");
      usage.put("prompt_tokens", result.promptTokens());
      usage.put("completion_tokens", result.completionTokens());
      usage.put("total_tokens", result.promptTokens() + result.completionTokens());
    }
    return body;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "invalid_request_error", null, "the body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  /** The engine's messages start with the field they are about, e.g. "max_tokens must be positive". */
  private static String paramOf(String message) {
    if (message == null) {
      return null;
    }
    for (String p : new String[] {"prompt", "max_tokens", "temperature", "top_p", "timeout"}) {
      if (message.startsWith(p)) {
        return p;
      }
    }
    return null;
  }
}
