package io.bitnet.runtime;

/** The engine refused a request: its queue is full, or it is shutting down. Retry later. */
public final class RejectedRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RejectedRequestException(String message) {
    super(message);
  }
}
