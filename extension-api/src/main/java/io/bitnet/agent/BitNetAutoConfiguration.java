package io.bitnet.agent;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.config.BitNetConfigHolder;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.KernelDurationsProducer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;

/**
 * The distribution's defaults and SDK-side wiring: default properties (user {@code -D} and
 * {@code OTEL_*} values still win), the {@code bitnet.*} configuration parsed once, the resource
 * attributes, and the SDK-side components that consume the telemetry (see {@link BitNetComponents}).
 */
public class BitNetAutoConfiguration implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer autoConfiguration) {
    autoConfiguration
        .addPropertiesSupplier(BitNetAutoConfiguration::defaults)
        .addPropertiesCustomizer(config -> {
          BitNetConfigHolder.set(BitNetConfig.parse(config::getString).logProblems());
          return Map.of();
        })
        .addResourceCustomizer((resource, config) -> {
          BitNetComponents.get().serviceName(
              resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")));
          return resource.merge(resource());
        })
        .addTracerProviderCustomizer((builder, config) -> BitNetComponents.get().addSpanProcessors(builder))
        .addMeterProviderCustomizer((builder, config) -> BitNetComponents.get().addMetricReader(builder))
        .addMeterProviderCustomizer((builder, config) -> builder.registerMetricProducer(new KernelDurationsProducer()));
  }

  /** Defaults a plain upstream agent does not have. */
  static Map<String, String> defaults() {
    Map<String, String> d = new HashMap<>();
    d.put("otel.service.name", "bitnet-inference-server");
    d.put("otel.metrics.exporter", "prometheus");
    d.put("otel.exporter.prometheus.host", "127.0.0.1");
    d.put("otel.bsp.max.queue.size", "512");
    d.put("otel.bsp.schedule.delay", "500ms");
    // Read from system properties and the environment: the agent decides which modules to install
    // before this extension's configuration is parsed.
    if ("true".equalsIgnoreCase(io.bitnet.agent.config.BitNetConfig.fromSystem("bitnet.lean"))) {
      d.putAll(LeanInstrumentations.properties());
    }
    return d;
  }

  static Resource resource() {
    return Resource.builder()
        .put(BitNetAttributes.AGENT_VERSION, AgentVersion.get())
        .put(BitNetAttributes.FORMATS, "i2_s,tl1,tl2")
        .put(BitNetAttributes.DEVICE_CAPABILITIES, DeviceCapabilities.describe())
        .build();
  }
}
