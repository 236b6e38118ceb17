package io.bitnet.runtime;

/**
 * Receives tokens as they are generated, on the engine's worker thread. Keep it quick. If it throws,
 * the request is cancelled (for example when a streaming client has gone away).
 */
@FunctionalInterface
public interface TokenListener {

  /**
   * @param token the token id
   * @param text the text this token completes: whole UTF-8 characters only, possibly empty
   */
  void onToken(int token, String text);

  /** Ignores every token. */
  TokenListener NONE = (token, text) -> {};
}
