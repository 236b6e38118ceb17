package io.bitnet.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.runtime.ModelConfig;
import io.bitnet.runtime.gguf.GgufModelWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model FILE.gguf}: the server and the CLI load a GGUF file and serve it under its general.name. */
class GgufModelServerTest {

  private static final String NAME = "tiny-gguf-served";
  private static final ModelConfig SHAPE =
      new ModelConfig("ignored", 260, 128, 256, 2, 4, 2, 128, 10000f, 1e-5f, QuantizationFormat.I2_S);

  @TempDir
  Path dir;

  private Path writeModel() throws Exception {
    Path file = dir.resolve("tiny.gguf");
    GgufModelWriter.writeSynthetic(file, SHAPE, NAME, 3, BitNetKernels.getDefault());
    return file;
  }

  @Test
  void serverListsTheFilesGeneralNameAndCompletes() throws Exception {
    Path file = writeModel();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    ServerOptions options = Main.parseServe(new String[] {"--model", file.toString(), "--port", "0"});
    assertEquals(file, options.modelFile());
    assertEquals(NAME, options.model().name());
    CompletionServer server = CompletionServer.listen(options, out);
    try {
      server.loader().start();
      server.loader().awaitLoaded();
      assertTrue(server.loader().failure().isEmpty(), () -> server.loader().failure().get());
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, models.statusCode());
      JsonNode model = HttpJson.MAPPER.readTree(models.body()).path("data").get(0);
      assertEquals(NAME, model.path("id").asText());
      assertTrue(model.path("ready").asBoolean());
      HttpResponse<String> completion = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
          .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"" + NAME + "\",\"prompt\":\"héllo\",\"max_tokens\":4,\"temperature\":0}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, completion.statusCode(), completion.body());
      JsonNode body = HttpJson.MAPPER.readTree(completion.body());
      assertEquals(NAME, body.path("model").asText());
      // the byte-only vocabulary: BOS, then one token per UTF-8 byte of "héllo" (6 bytes)
      assertEquals(7, body.path("usage").path("prompt_tokens").asInt());
      String printed = log.toString(StandardCharsets.UTF_8);
      assertTrue(printed.contains("24/24 tensors (token_embd.weight)"), printed);
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void generateRunsTheFile() throws Exception {
    Path file = writeModel();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int rc = Main.run(new String[] {"generate", "--model", file.toString(), "--prompt", "hi", "--max-tokens", "3",
        "--temperature", "0"}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, printed);
    assertTrue(printed.startsWith("model " + NAME + " "), printed);
    assertTrue(printed.contains("3 prompt + "), printed);
  }

  @Test
  void presetsStayPresetsAndBadFilesFailAtStartup() throws Exception {
    assertNull(Main.modelFile("tiny"));
    assertNull(Main.modelFile("2B-4T"));
    assertEquals(Path.of("x.GGUF"), Main.modelFile("x.GGUF"));
    Path bad = Files.write(dir.resolve("bad.gguf"), new byte[] {'G', 'G', 'U', 'F', 2, 0, 0, 0});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.parseServe(new String[] {"--model", bad.toString()}));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Main.parseServe(new String[] {"--model", dir.resolve("absent.gguf").toString()}));
    assertTrue(missing.getMessage().contains("absent.gguf"), missing.getMessage());
  }
}
