package org.abdflow.engine.stages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.junit.Test;

public class EvalConfigTest {
  private static EvalConfig parse(Map<String, Object> raw) {
    return EvalConfig.from(EvalConfig.SCHEMA.parse(raw));
  }

  @Test
  public void thePapersProtocolIsClipsEightyTemplatesOverTheThousandImageNetNames() {
    EvalConfig c = parse(Map.of("templates", "imagenet", "classNames", "imagenet"));
    assertEquals(80, c.templates().size());
    assertEquals("a bad photo of a {}.", c.templates().get(0));
    assertEquals(1000, c.classNames().size());
    assertEquals("banana", c.classNames().get(954));
  }

  @Test
  public void byDefaultTheClassesComeFromTheTestRecords() {
    EvalConfig c = parse(Map.of());
    assertEquals(List.of(), c.classNames());
    assertEquals(PromptTemplates.SIMPLE, c.templates());
    assertEquals(List.of("cat", "dog"), parse(Map.of("classNames", List.of("cat", "dog"))).classNames());
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of("classNames", "cats")));
    assertEquals("classNames", e.key());
  }
}
