package io.bitnet.kernels;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the operations running on a native resource and frees it exactly once: when it is closed (or
 * unreachable) and nothing runs on it. It is also the {@link java.lang.ref.Cleaner}'s action, so it
 * must not refer to the object that owns it.
 */
final class UsageGuard<T> implements Runnable {

  private static final int CLOSED = 1 << 30;

  private final T resource;
  private final Runnable free;
  private final AtomicInteger state = new AtomicInteger();

  UsageGuard(T resource, Runnable free) {
    this.resource = resource;
    this.free = free;
  }

  T resource() {
    return resource;
  }

  /**
   * Pins the resource for one operation; pair with {@link #release()}. Null once closed: the caller
   * words the error, so the hot path builds no message.
   */
  T tryAcquire() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        return null;
      }
      if (state.compareAndSet(s, s + 1)) {
        return resource;
      }
    }
  }

  void release() {
    if (state.decrementAndGet() == CLOSED) {
      free.run();
    }
  }

  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /** Marks it closed, and frees now if nothing runs; otherwise the last {@link #release()} frees. */
  @Override
  public void run() {
    int before = state.getAndUpdate(s -> s | CLOSED);
    if (before == 0) {
      free.run();
    }
  }
}
