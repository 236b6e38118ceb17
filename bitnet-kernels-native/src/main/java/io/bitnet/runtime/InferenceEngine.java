package io.bitnet.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs generation requests on a {@link BitNetModel}: a bounded priority queue, worker threads, and
 * batch formation. A worker takes the best waiting request, waits up to the batch window for more (up
 * to the maximum batch), prefills each prompt, then decodes the whole batch together, one batched
 * matmul per layer and step.
 *
 * <p>{@link #generate(GenerationRequest)} blocks until the request finishes;
 * {@link #generate(GenerationRequest, TokenListener)} also streams its tokens. Thread-safe.
 */
public final class InferenceEngine implements AutoCloseable {

  /** Prompt tokens per prefill forward pass: bounds the scratch memory of long prompts. */
  private static final int PREFILL_CHUNK = 64;

  private final BitNetModel model;
  private final Tokenizer tokenizer;
  private final int queueCapacity;
  private final int maxBatch;
  private final long batchWindowNanos;
  private final Duration defaultTimeout;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Map<Priority, ArrayDeque<Pending>> queues = new EnumMap<>(Priority.class);
  private int queued;
  private volatile boolean accepting = true;

  private final Map<String, Pending> byId = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final List<Thread> workers = new ArrayList<>();

  private InferenceEngine(Builder b) {
    this.model = b.model;
    this.tokenizer = b.tokenizer;
    this.queueCapacity = b.queueCapacity;
    this.maxBatch = b.maxBatch;
    this.batchWindowNanos = b.batchWindow.toNanos();
    this.defaultTimeout = b.defaultTimeout;
    for (Priority p : Priority.values()) {
      queues.put(p, new ArrayDeque<>());
    }
    for (int i = 0; i < b.workers; i++) {
      Thread t = new Thread(this::workLoop, "bitnet-engine-" + (i + 1));
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  public static Builder builder(BitNetModel model) {
    return new Builder(model);
  }

  public BitNetModel model() {
    return model;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Requests waiting in the queue. */
  public int waitingRequests() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** Requests a worker is running now. */
  public int activeRequests() {
    return active.get();
  }

  /** The largest number of requests that may wait. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Generates and blocks until done. */
  public GenerationResult generate(GenerationRequest request) {
    return generate(request, TokenListener.NONE);
  }

  /**
   * Generates, streaming each token to {@code listener}, and blocks until done.
   *
   * @throws IllegalArgumentException if the request is invalid (the message names the field)
   * @throws RejectedRequestException if the queue is full or the engine is shutting down
   */
  public GenerationResult generate(GenerationRequest request, TokenListener listener) {
    Pending p = submit(request, listener);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.result.get();
        } catch (InterruptedException e) {
          interrupted = true;
          p.cancel("the calling thread was interrupted");
        } catch (ExecutionException e) {
          throw new IllegalStateException("generation failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Cancels a waiting or running request; returns false when no such request is in flight. */
  public boolean cancel(String requestId) {
    Pending p = byId.get(requestId);
    if (p == null) {
      return false;
    }
    p.cancel("cancelled by the caller");
    return true;
  }

  private Pending submit(GenerationRequest request, TokenListener listener) {
    if (request == null) {
      throw new IllegalArgumentException("request must not be null");
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    int[] promptTokens = validate(request);
    Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
    Pending p = new Pending(request, listener, promptTokens, System.nanoTime(), timeout);
    lock.lock();
    try {
      if (!accepting) {
        throw new RejectedRequestException(RejectedRequestException.Reason.SHUTTING_DOWN, "the engine is shutting down");
      }
      if (queued >= queueCapacity) {
        throw new RejectedRequestException(
            RejectedRequestException.Reason.QUEUE_FULL, "the request queue is full (" + queueCapacity + " waiting)");
      }
      if (byId.putIfAbsent(request.id(), p) != null) {
        throw new IllegalArgumentException("a request with id '" + request.id() + "' is already in flight");
      }
      queues.get(request.priority()).addLast(p);
      queued++;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    return p;
  }

  private int[] validate(GenerationRequest r) {
    if (r.prompt() == null || r.prompt().isEmpty()) {
      throw new IllegalArgumentException("prompt must not be empty");
    }
    if (r.maxTokens() <= 0) {
      throw new IllegalArgumentException("max_tokens must be positive, got " + r.maxTokens());
    }
    if (!(r.temperature() >= 0) || Float.isInfinite(r.temperature())) {
      throw new IllegalArgumentException("temperature must be finite and at least 0, got " + r.temperature());
    }
    if (!(r.topP() > 0 && r.topP() <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], got " + r.topP());
    }
    if (r.timeout() != null && (r.timeout().isNegative() || r.timeout().isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + r.timeout());
    }
    int[] tokens = tokenizer.encode(r.prompt());
    int context = model.config().contextLength();
    if ((long) tokens.length + r.maxTokens() > context) {
      throw new IllegalArgumentException("max_tokens (" + r.maxTokens() + ") plus the prompt (" + tokens.length
          + " tokens) exceeds the model's context of " + context + " tokens");
    }
    return tokens;
  }

  private void workLoop() {
    while (true) {
      List<Pending> batch;
      long formationNanos;
      try {
        Pending first = take();
        if (first == null) {
          return; // shut down and drained
        }
        long start = System.nanoTime();
        batch = new ArrayList<>();
        batch.add(first);
        long windowEnd = start + batchWindowNanos;
        while (batch.size() < maxBatch) {
          Pending next = poll(windowEnd);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        formationNanos = System.nanoTime() - start;
      } catch (InterruptedException e) {
        return;
      }
      active.addAndGet(batch.size());
      try {
        runBatch(batch, formationNanos);
      } catch (RuntimeException | Error e) {
        for (Pending p : batch) {
          p.finish(FinishReason.ERROR, e.toString());
        }
      } finally {
        active.addAndGet(-batch.size());
      }
    }
  }

  /** The best waiting request; null once the engine is shut down and the queue is empty. */
  private Pending take() throws InterruptedException {
    lock.lock();
    try {
      while (queued == 0) {
        if (!accepting) {
          return null;
        }
        notEmpty.await();
      }
      return removeBest();
    } finally {
      lock.unlock();
    }
  }

  private Pending poll(long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (queued == 0) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        notEmpty.awaitNanos(left);
      }
      return removeBest();
    } finally {
      lock.unlock();
    }
  }

  private Pending removeBest() {
    for (Priority p : Priority.values()) {
      Pending next = queues.get(p).pollFirst();
      if (next != null) {
        queued--;
        return next;
      }
    }
    throw new IllegalStateException("queue count out of step");
  }

  private void runBatch(List<Pending> batch, long formationNanos) {
    long batchStart = System.nanoTime();
    List<Sequence> running = new ArrayList<>();
    for (Pending p : batch) {
      p.startedNanos = batchStart;
      p.formationNanos = formationNanos;
      p.batchSize = batch.size();
      if (p.finishIfStopped()) {
        continue;
      }
      Sequence s = new Sequence(p, model.newCache(p.promptTokens.length + p.request.maxTokens()));
      prefill(s);
      if (!p.isDone()) {
        running.add(s);
      }
    }
    int vocab = model.config().vocabSize();
    while (!running.isEmpty()) {
      int n = running.size();
      int[][] tokens = new int[n][];
      int[] starts = new int[n];
      KvCache[] caches = new KvCache[n];
      float[][] logits = new float[n][];
      for (int i = 0; i < n; i++) {
        Sequence s = running.get(i);
        tokens[i] = new int[] {s.lastToken};
        starts[i] = s.position;
        caches[i] = s.cache;
        logits[i] = s.logits;
      }
      ThreadCost cost = ThreadCost.start();
      model.forward(tokens, starts, caches, logits);
      long cpu = cost.cpuSince() / n;
      long allocated = cost.allocatedSince() / n;
      for (Sequence s : running) {
        s.pending.cpuNanos += cpu;
        s.pending.allocatedBytes += allocated;
      }
      List<Sequence> still = new ArrayList<>(n);
      for (Sequence s : running) {
        s.position++;
        s.accept(s.sampler.sample(s.logits, vocab));
        if (!s.pending.isDone()) {
          still.add(s);
        }
      }
      running = still;
    }
  }

  /** Runs the prompt through the model in chunks and samples the first token. */
  private void prefill(Sequence s) {
    int[] prompt = s.pending.promptTokens;
    for (int from = 0; from < prompt.length; from += PREFILL_CHUNK) {
      int to = Math.min(prompt.length, from + PREFILL_CHUNK);
      int[] chunk = java.util.Arrays.copyOfRange(prompt, from, to);
      ThreadCost cost = ThreadCost.start();
      model.forward(new int[][] {chunk}, new int[] {from}, new KvCache[] {s.cache}, new float[][] {s.logits});
      s.pending.cpuNanos += cost.cpuSince();
      s.pending.allocatedBytes += cost.allocatedSince();
      if (s.pending.finishIfStopped()) {
        return;
      }
    }
    s.position = prompt.length;
    s.pending.prefillNanos = System.nanoTime() - s.pending.startedNanos;
    s.accept(s.sampler.sample(s.logits, model.config().vocabSize()));
  }

  /**
   * Stops accepting requests, lets queued and running ones finish for up to {@code grace}, then
   * cancels whatever is left. Returns true when everything finished within the grace period.
   */
  public boolean shutdown(Duration grace) {
    lock.lock();
    try {
      accepting = false;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    boolean clean = joinAll(deadline);
    if (!clean) {
      byId.values().forEach(p -> p.cancel("the engine shut down"));
      joinAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
    return clean;
  }

  private boolean joinAll(long deadlineNanos) {
    for (Thread t : workers) {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Shuts down with a 30 second grace period. Does not close the model. */
  @Override
  public void close() {
    shutdown(Duration.ofSeconds(30));
  }

  /** A request in flight. */
  private final class Pending {
    final GenerationRequest request;
    final TokenListener listener;
    final int[] promptTokens;
    final long submittedNanos;
    final long deadlineNanos;
    final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    final TextDecoder text = new TextDecoder(tokenizer);
    volatile String cancelReason;
    long startedNanos;
    long formationNanos;
    long prefillNanos;
    long firstTokenNanos;
    int batchSize;
    int completion;
    long cpuNanos;
    long allocatedBytes;

    Pending(GenerationRequest request, TokenListener listener, int[] promptTokens, long now, Duration timeout) {
      this.request = request;
      this.listener = listener;
      this.promptTokens = promptTokens;
      this.submittedNanos = now;
      this.deadlineNanos = timeout == null ? Long.MAX_VALUE : now + timeout.toNanos();
    }

    void cancel(String reason) {
      if (cancelReason == null) {
        cancelReason = reason;
      }
      // A request still in the queue is finished here; a running one at its next token.
      lock.lock();
      try {
        if (queues.get(request.priority()).remove(this)) {
          queued--;
          startedNanos = System.nanoTime();
          finish(FinishReason.CANCELLED, reason);
        }
      } finally {
        lock.unlock();
      }
    }

    boolean isDone() {
      return result.isDone();
    }

    /** Finishes a cancelled or timed-out request; returns true if it did. */
    boolean finishIfStopped() {
      if (cancelReason != null) {
        finish(FinishReason.CANCELLED, cancelReason);
        return true;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        finish(FinishReason.CANCELLED, "timed out after " + Duration.ofNanos(deadlineNanos - submittedNanos));
        return true;
      }
      return false;
    }

    void finish(FinishReason reason, String error) {
      if (result.isDone()) {
        return;
      }
      byId.remove(request.id(), this); // before the caller sees the result: the id is free again
      long now = System.nanoTime();
      long started = startedNanos == 0 ? now : startedNanos;
      long ttft = firstTokenNanos == 0 ? 0 : firstTokenNanos - submittedNanos;
      GenerationResult.Timings timings = new GenerationResult.Timings(
          Duration.ofNanos(started - submittedNanos),
          Duration.ofNanos(formationNanos),
          Duration.ofNanos(prefillNanos),
          Duration.ofNanos(ttft),
          Duration.ofNanos(firstTokenNanos == 0 ? 0 : now - firstTokenNanos),
          Duration.ofNanos(now - submittedNanos),
          Math.max(batchSize, 1),
          Duration.ofNanos(cpuNanos),
          allocatedBytes);
      result.complete(new GenerationResult(request.id(), model.id(), text.finish(), promptTokens.length,
          completion, reason, Optional.ofNullable(error), timings));
    }
  }

  /** The decoding state of one running request. */
  private final class Sequence {
    final Pending pending;
    final KvCache cache;
    final Sampler sampler;
    final float[] logits;
    int position;
    int lastToken;

    Sequence(Pending pending, KvCache cache) {
      this.pending = pending;
      this.cache = cache;
      GenerationRequest r = pending.request;
      this.sampler = new Sampler(r.temperature(), r.topP(), r.seed());
      this.logits = new float[model.config().vocabSize()];
    }

    /** Takes a sampled token: stop at EOS, stream it, or stop at the length limit or a cancel. */
    void accept(int token) {
      Pending p = pending;
      if (p.completion == 0) {
        p.firstTokenNanos = System.nanoTime();
      }
      if (token == tokenizer.eos()) {
        p.completion++;
        p.finish(FinishReason.STOP, null);
        return;
      }
      p.completion++;
      lastToken = token;
      String piece = p.text.append(token);
      try {
        p.listener.onToken(token, piece);
      } catch (RuntimeException e) {
        p.cancel("the token listener failed: " + e);
      }
      if (p.finishIfStopped()) {
        return;
      }
      if (p.completion >= p.request.maxTokens()) {
        p.finish(FinishReason.LENGTH, null);
      }
    }
  }

  /** Builds an engine; the defaults suit a small server on a few cores. */
  public static final class Builder {
    private final BitNetModel model;
    private Tokenizer tokenizer = new ByteTokenizer();
    private int workers = 1;
    private int queueCapacity = 64;
    private int maxBatch = 8;
    private Duration batchWindow = Duration.ofMillis(5);
    private Duration defaultTimeout = Duration.ofMinutes(2);

    private Builder(BitNetModel model) {
      if (model == null) {
        throw new IllegalArgumentException("model must not be null");
      }
      this.model = model;
    }

    public Builder tokenizer(Tokenizer tokenizer) {
      this.tokenizer = require(tokenizer, "tokenizer");
      return this;
    }

    /** Worker threads, each running one batch at a time. */
    public Builder workers(int workers) {
      this.workers = positive(workers, "workers");
      return this;
    }

    /** Requests that may wait; one more is rejected. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = positive(capacity, "queueCapacity");
      return this;
    }

    /** The most requests decoded together. */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = positive(maxBatch, "maxBatch");
      return this;
    }

    /** How long a worker waits for more requests to join a batch. */
    public Builder batchWindow(Duration window) {
      require(window, "batchWindow");
      if (window.isNegative()) {
        throw new IllegalArgumentException("batchWindow must not be negative, got " + window);
      }
      this.batchWindow = window;
      return this;
    }

    /** Timeout of requests that set none; null means none. */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = timeout;
      return this;
    }

    public InferenceEngine build() {
      if (tokenizer.vocabSize() > model.config().vocabSize()) {
        throw new IllegalArgumentException("the tokenizer's vocabulary (" + tokenizer.vocabSize()
            + ") is larger than the model's (" + model.config().vocabSize() + ")");
      }
      return new InferenceEngine(this);
    }

    private static int positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + v);
      }
      return v;
    }

    private static <T> T require(T v, String name) {
      if (v == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      return v;
    }
  }
}
