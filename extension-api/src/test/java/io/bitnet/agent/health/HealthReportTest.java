package io.bitnet.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  @Test
  void rendersTheMicroProfileHealthShape() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("model_id", "m\"1\\");
    data.put("tensor_count", 42L);
    data.put("load_seconds", 1.5);
    data.put("ok", true);
    data.put("note", "line\nbreak\u0001");
    HealthReport report = new HealthReport(Probe.HEALTH, List.of(
        ComponentHealth.up("model_manager", data),
        ComponentHealth.down("inference_engine", Map.of())));
    assertEquals("{\"status\":\"DOWN\",\"checks\":["
        + "{\"name\":\"model_manager\",\"status\":\"UP\",\"data\":{\"model_id\":\"m\\\"1\\\\\",\"tensor_count\":42,"
        + "\"load_seconds\":1.5,\"ok\":true,\"note\":\"line\\nbreak\\u0001\"}},"
        + "{\"name\":\"inference_engine\",\"status\":\"DOWN\"}]}", report.toJson());
    assertEquals(503, report.httpStatus());
  }

  @Test
  void anEmptyReportIsUp() {
    HealthReport report = new HealthReport(Probe.LIVE, List.of());
    assertEquals("{\"status\":\"UP\",\"checks\":[]}", report.toJson());
    assertEquals(200, report.httpStatus());
  }
}
