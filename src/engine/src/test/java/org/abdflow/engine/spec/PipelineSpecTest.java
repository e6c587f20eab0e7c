package org.abdflow.engine.spec;

import static org.abdflow.engine.spec.Specs.parse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class PipelineSpecTest {

  private static List<String> names(List<TransformSpec> transforms) {
    return transforms.stream().map(TransformSpec::name).toList();
  }

  @Test
  public void topologicalOrderPutsInputsFirstAndKeepsFileOrderOtherwise() throws Exception {
    PipelineSpec spec = SpecLoader.load(Specs.resource("good.yaml"));
    assertThat(
        names(spec.topologicalOrder()),
        contains("pretrain", "finetune", "poisoned", "clean", "victim", "eval"));
  }

  @Test
  public void topologicalOrderOfADiamond() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  transforms:",
            "    - {type: T, name: join, input: [left, right]}",
            "    - {type: T, name: right, input: root}",
            "    - {type: T, name: left, input: root}",
            "    - {type: T, name: root}",
            "    - {type: T, name: alone}");
    assertThat(names(spec.topologicalOrder()), contains("root", "right", "left", "join", "alone"));
    List<TransformSpec> order = spec.topologicalOrder();
    for (int i = 0; i < order.size(); i++) {
      for (String input : order.get(i).inputs()) {
        assertThat(
            input + " before " + order.get(i).name(),
            names(order.subList(0, i)).contains(input),
            equalTo(true));
      }
    }
  }

  @Test
  public void topologicalOrderIgnoresUnknownInputs() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  transforms:",
            "    - {type: T, name: b, input: [a, ghost]}",
            "    - {type: T, name: a}");
    assertThat(names(spec.topologicalOrder()), contains("a", "b"));
  }

  @Test
  public void topologicalOrderRefusesCycles() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  transforms:",
            "    - {type: T, name: src}",
            "    - {type: T, name: a, input: [src, b]}",
            "    - {type: T, name: b, input: a}");
    IllegalStateException e = assertThrows(IllegalStateException.class, spec::topologicalOrder);
    assertThat(e.getMessage(), containsString("a -> b -> a"));
  }

  @Test
  public void cycleDetectionReportsEachGroupOnce() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  transforms:",
            "    - {type: T, name: a, input: [b, c]}",
            "    - {type: T, name: b, input: a}",
            "    - {type: T, name: c, input: a}",
            "    - {type: T, name: d, input: c}",
            "    - {type: T, name: x, input: y}",
            "    - {type: T, name: y, input: x}");
    SpecGraph graph = new SpecGraph(spec.transforms());
    assertThat(graph.describeCycles(), contains("a -> b -> a", "x -> y -> x"));
  }

  @Test
  public void suggestionsNeedToBeClose() {
    assertThat(Names.closest("BadNt", List.of("BadNet", "Blend")).orElse(""), equalTo("BadNet"));
    assertThat(Names.closest("badnet", List.of("BadNet")).orElse(""), equalTo("BadNet"));
    assertThat(Names.closest("Xyzzy", List.of("BadNet", "Blend")).isPresent(), equalTo(false));
    assertThat(Names.distance("kitten", "sitting"), equalTo(3));
  }

  @Test
  public void relativePathKeysAreResolvedAgainstTheSpecFolderAndNothingElseChanges() throws SpecException {
    java.nio.file.Path file = java.nio.file.Path.of("/data/specs/grid.yaml");
    PipelineSpec spec = SpecLoader.parse(String.join("\n",
        "pipeline:",
        "  transforms:",
        "    - {type: Blend, name: rel, config: {image: triggers/hello.png, note: triggers/x.png}}",
        "    - {type: Blend, name: abs, config: {image: /elsewhere/t.png}}",
        "    - {type: Blend, name: none}",
        "    - {type: Unknown, name: u, config: {image: a.png}}") + "\n", file);
    TypeCatalog catalog = new TypeCatalog() {
      final TypeInfo blend = TypeInfo.create("Blend", org.abdflow.api.config.ConfigSchema.builder()
          .addOptionalPath("image", "trigger image").addOptionalString("note", "a string").build(), 0, 0, v -> v, "blends");

      @Override
      public java.util.SortedSet<String> types() {
        return new java.util.TreeSet<>(List.of("Blend"));
      }

      @Override
      public java.util.Optional<TypeInfo> lookup(String type) {
        return type.equals("Blend") ? java.util.Optional.of(blend) : java.util.Optional.empty();
      }
    };
    PipelineSpec resolved = spec.withPathsResolved(catalog);
    assertThat(resolved.transform("rel").orElseThrow().config().get("image"), equalTo("/data/specs/triggers/hello.png"));
    assertThat(resolved.transform("rel").orElseThrow().config().get("note"), equalTo("triggers/x.png"));
    assertThat(resolved.transform("abs").orElseThrow().config().get("image"), equalTo("/elsewhere/t.png"));
    assertThat(resolved.transform("none").orElseThrow().config().containsKey("image"), equalTo(false));
    assertThat(resolved.transform("u").orElseThrow().config().get("image"), equalTo("a.png"));
  }
}
