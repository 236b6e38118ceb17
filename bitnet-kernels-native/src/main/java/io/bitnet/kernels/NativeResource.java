package io.bitnet.kernels;

import java.lang.ref.Cleaner;

/**
 * What {@link TernaryTensor} and {@link Int8Matrix} share: storage that operations pin while they run,
 * released by {@link #close()} or, if the owner is dropped unclosed, by a {@link Cleaner}.
 *
 * @param <S> the storage type
 */
abstract class NativeResource<S> implements AutoCloseable {

  private static final Cleaner CLEANER = Cleaner.create();

  private final UsageGuard<S> guard;
  private final Cleaner.Cleanable cleanable;

  NativeResource(S storage, Runnable free) {
    this.guard = new UsageGuard<>(storage, free);
    this.cleanable = CLEANER.register(this, guard);
  }

  /** A short description for the "is closed" message, e.g. {@code tensor 'blk.0.attn_q.weight'}. */
  abstract String describe();

  S storage() {
    return guard.resource();
  }

  /** Pins the storage for one operation; pair with {@link #release()}. */
  S acquire() {
    S storage = guard.tryAcquire();
    if (storage == null) {
      throw new IllegalStateException(describe() + " is closed");
    }
    return storage;
  }

  void release() {
    guard.release();
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    return guard.isClosed();
  }

  /** Releases the memory. Idempotent; operations still running finish first. */
  @Override
  public void close() {
    cleanable.clean(); // runs the guard at most once
  }
}
