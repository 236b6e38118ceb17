package io.bitnet.agent.instrumentation.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.bitnet.runtime.Priority;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

class RequestLabelsTest {

  private static Attributes attributes(String... keysAndValues) {
    var b = Attributes.builder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.put(AttributeKey.stringKey(keysAndValues[i]), keysAndValues[i + 1]);
    }
    return b.build();
  }

  @Test
  void buildsEachModelsSetsOnceWithTheCatalogLabels() {
    RequestLabels.Cache cache = new RequestLabels.Cache();
    RequestLabels labels = cache.get("tiny", "i2_s");
    assertSame(labels, cache.get("tiny", "i2_s"));
    assertNotSame(labels, cache.get("tiny", "tl1"));

    assertEquals(attributes("model_id", "tiny", "status", "ok", "device", "cpu"), labels.requests("ok"));
    assertSame(labels.requests("ok"), labels.requests("ok"));
    assertEquals(attributes("model_id", "tiny", "quantization_format", "i2_s", "device", "cpu", "status", "rejected"),
        labels.duration("rejected"));
    assertEquals(attributes("model_id", "tiny", "status", "other", "device", "cpu"), labels.requests("other"),
        "a status outside the four is built per call");
    assertEquals(attributes("model_id", "tiny", "priority", "normal"), labels.active(null));
    assertEquals(attributes("model_id", "tiny", "priority", "high"), labels.active(Priority.HIGH));
    assertEquals(attributes("gen_ai.operation.name", "text_completion", "gen_ai.provider.name", "bitnet",
        "gen_ai.request.model", "tiny"), labels.genAi(null));
    assertEquals(attributes("gen_ai.operation.name", "text_completion", "gen_ai.provider.name", "bitnet",
        "gen_ai.request.model", "tiny", "error.type", "engine_error"), labels.genAi("engine_error"));
    assertEquals(attributes("model_id", "tiny"), labels.byModel);
    assertEquals(attributes("model_id", "tiny", "quantization_format", "i2_s", "device", "cpu"), labels.throughput);
  }

  @Test
  void stopsCachingAtTheCapAndStillBuildsTheRightSets() {
    RequestLabels.Cache cache = new RequestLabels.Cache();
    for (int i = 0; i < RequestLabels.Cache.MAX_CACHED + 10; i++) {
      assertEquals(attributes("model_id", "m" + i), cache.get("m" + i, "i2_s").byModel);
    }
    assertEquals(RequestLabels.Cache.MAX_CACHED, cache.size());
    assertNotSame(cache.get("extra", "i2_s"), cache.get("extra", "i2_s"), "past the cap: built per call");
    assertSame(cache.get("m0", "i2_s"), cache.get("m0", "i2_s"));
  }
}
