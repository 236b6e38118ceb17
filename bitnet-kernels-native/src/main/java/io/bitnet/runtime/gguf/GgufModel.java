package io.bitnet.runtime.gguf;

import io.bitnet.runtime.BitNetModel;

/**
 * A model loaded from a GGUF file with the tokenizer the file describes. Closing it closes the model.
 *
 * @param model the decoder; its id is the file's {@code general.name}
 * @param tokenizer the file's byte-level BPE tokenizer
 */
public record GgufModel(BitNetModel model, BpeTokenizer tokenizer) implements AutoCloseable {

  @Override
  public void close() {
    model.close();
  }
}
