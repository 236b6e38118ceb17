package io.bitnet.runtime;

/** The engine refused a request: its queue is full, or it is shutting down. */
public final class RejectedRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** The queue holds its capacity: retry later. */
    QUEUE_FULL,
    /** The engine no longer accepts requests. */
    SHUTTING_DOWN
  }

  private final Reason reason;

  public RejectedRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
