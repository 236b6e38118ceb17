package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.instrumentation.AdviceErrors;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.TokenListener;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;

/**
 * Wraps the application's token listener to add a {@code gen_ai.token} event per token to the
 * request's span (only with {@code bitnet.trace.token-events=true}; the SDK caps events per span).
 * Token text is recorded only when content capture is on.
 */
public final class TokenEventListener implements TokenListener {

  private final Span span;
  private final TokenListener delegate;
  private final boolean captureContent;
  private long index;

  private TokenEventListener(Span span, TokenListener delegate, boolean captureContent) {
    this.span = span;
    this.delegate = delegate;
    this.captureContent = captureContent;
  }

  /** The listener to use: wrapped when token events are on and a request span is current. */
  public static TokenListener wrap(TokenListener listener) {
    try {
      if (listener == null || !RuntimeSingletons.config().tokenEvents() || listener instanceof TokenEventListener) {
        return listener;
      }
      Span span = Span.current();
      if (!span.isRecording()) {
        return listener;
      }
      return new TokenEventListener(span, listener, RuntimeSingletons.config().captureContent());
    } catch (RuntimeException e) {
      AdviceErrors.report("TokenEventListener", e);
      return listener;
    }
  }

  @Override
  public void onToken(int token, String text) {
    try {
      long i = index++;
      span.addEvent("gen_ai.token", captureContent
          ? Attributes.of(BitNetAttributes.TOKEN_INDEX, i, BitNetAttributes.TOKEN_TEXT, text)
          : Attributes.of(BitNetAttributes.TOKEN_INDEX, i));
    } catch (RuntimeException e) {
      AdviceErrors.report("TokenEventListener", e);
    }
    delegate.onToken(token, text); // the application's own exceptions pass through unchanged
  }
}
