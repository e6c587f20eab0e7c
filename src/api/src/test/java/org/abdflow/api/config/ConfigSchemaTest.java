package org.abdflow.api.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ConfigSchemaTest {
  private final ConfigSchema schema =
      ConfigSchema.builder()
          .addRequiredString("target", "class")
          .addInt("size", 16, 1, 64, "side")
          .addDouble("rate", 0.05, 0.0, 1.0, "fraction")
          .addOptionalInt("count", 0, null, "exact count")
          .addEnum("overflow", "clamp", List.of("clamp", "wrap"), "8-bit conversion")
          .addStringList("templates", List.of("simple"), "templates")
          .addBoolean("redraw", false, "redraw")
          .build();

  @Test
  public void fillsDefaultsAndConvertsTypes() {
    ConfigValues v = schema.parse(Map.of("target", "bag", "rate", 1, "templates", "a {}", "overflow", "WRAP"));
    assertEquals(16, v.getInt("size"));
    assertEquals(1.0, v.getDouble("rate"), 0);
    assertEquals(List.of("a {}"), v.getStringList("templates"));
    assertEquals("wrap", v.getString("overflow"));
    assertFalse(v.has("count"));
  }

  @Test
  public void reportsEveryProblemWithItsKey() {
    List<ConfigProblem> problems =
        schema.validate(Map.of("size", 100, "rate", "high", "overflow", "round", "templates", List.of(1), "redraw", "yes", "colour", "red"));
    assertEquals(List.of("colour", "target", "size", "rate", "overflow", "templates", "redraw"),
        problems.stream().map(ConfigProblem::key).toList());
    assertThat(problems.get(2).message(), containsString("out of range: 100 (expected integer in [1, 64])"));
    assertThat(problems.get(3).message(), containsString("expected a number"));
    assertThat(problems.get(0).message(), containsString("unknown key"));
  }

  @Test
  public void unknownKeysAndEnumValuesSuggestTheClosestName() {
    List<ConfigProblem> problems = schema.validate(Map.of("target", "bag", "sise", 3, "overflow", "wrp"));
    assertEquals(List.of("sise", "overflow"), problems.stream().map(ConfigProblem::key).toList());
    assertThat(problems.get(0).message(), endsWith("; did you mean size?"));
    assertThat(problems.get(1).message(), endsWith("; did you mean wrap?"));
    assertThat(schema.validate(Map.of("target", "bag", "zorglub", 1)).get(0).message(), not(containsString("did you mean")));
  }

  @Test
  public void parseThrowsNamingTheFirstBadKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> schema.parse(Map.of("target", "bag", "size", 0)));
    assertEquals("size", e.key());
    assertThat(schema.validate(Map.of("target", "bag")), empty());
  }

  @Test
  public void typeLabelsReadWell() {
    ConfigKey size = schema.keys().stream().filter(k -> k.name().equals("size")).findFirst().orElseThrow();
    assertEquals("integer in [1, 64]", size.typeLabel());
  }
}
