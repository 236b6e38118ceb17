package io.bitnet.runtime.gguf;

import java.io.IOException;

/** A GGUF file that cannot be used: truncated, malformed, unsupported, or not the model we expect. */
public final class GgufFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public GgufFormatException(String message) {
    super(message);
  }

  public GgufFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
