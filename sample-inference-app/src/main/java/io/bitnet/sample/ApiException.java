package io.bitnet.sample;

/**
 * A request the server answers with an OpenAI-style error body:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String type;
  final String param;

  ApiException(int status, String type, String param, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
  }

  static ApiException badRequest(String param, String message) {
    return new ApiException(400, "invalid_request_error", param, message);
  }
}
