package io.bitnet.it.deploy;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's deploy/ folder, and YAML read from it as plain maps and lists. */
final class DeployFiles {

  private DeployFiles() {}

  static Path repo() {
    String dir = System.getProperty("bitnet.repo.dir");
    if (dir == null) {
      throw new IllegalStateException("bitnet.repo.dir is not set: run the tests through Maven (integration-tests/pom.xml sets it)");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  static Path deploy(String first, String... more) {
    return repo().resolve("deploy").resolve(Path.of(first, more));
  }

  static Path prometheus(String name) {
    return deploy("prometheus", name);
  }

  /** deploy/prometheus/tests/*.yml, sorted. */
  static List<Path> ruleTests() {
    try (Stream<Path> files = Files.list(deploy("prometheus", "tests"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  static Object yaml(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      return yaml().load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a multi-document file, empty ones left out. */
  static List<Object> yamlAll(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      List<Object> docs = new ArrayList<>();
      for (Object doc : yaml().loadAll(r)) {
        if (doc != null) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<?, ?> map(Object o, String what) {
    return assertInstanceOf(Map.class, o, what + " is not a mapping");
  }

  static List<?> list(Object o, String what) {
    return assertInstanceOf(List.class, o, what + " is not a list");
  }

  static String str(Object o, String what) {
    return assertInstanceOf(String.class, o, what + " is not a string");
  }

  /** The value at a path of keys, or null where one is missing. */
  static Object at(Object root, String... keys) {
    Object o = root;
    for (String k : keys) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(k);
    }
    return o;
  }

  /** The groups of a Prometheus rules file. */
  static List<?> ruleGroups(Path file) {
    return list(at(yaml(file), "groups"), file + ": groups");
  }

  /** Every rule of a rules file, as maps with record or alert, expr, ... */
  static List<Map<?, ?>> rules(Path file) {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object g : ruleGroups(file)) {
      for (Object r : list(map(g, "group").get("rules"), file + ": rules")) {
        out.add(map(r, file + ": rule"));
      }
    }
    return out;
  }
}
