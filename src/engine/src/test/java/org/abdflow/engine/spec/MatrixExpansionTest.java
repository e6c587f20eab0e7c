package org.abdflow.engine.spec;

import static org.abdflow.engine.spec.Specs.parse;
import static org.abdflow.engine.spec.Specs.where;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class MatrixExpansionTest {

  @Test
  public void aGridWrittenOnceBecomesOneBranchPerValueSharingTheCommonStages() throws SpecException {
    PipelineSpec spec = parse(
        "pipeline:",
        "  matrix: {attack: [badnet, blended], rate: [0.05, 0.1]}",
        "  transforms:",
        "    - {type: Src, name: data}",
        "    - {type: Train, name: clean, input: data}",
        "    - {type: BadNet, name: badnet, input: data}",
        "    - {type: Blended, name: blended, input: data}",
        "    - {type: Train, name: 'victim-${attack}', input: [clean, '${attack}'], config: {note: 'victim of ${attack}'}}",
        "    - {type: Poison, name: 'p-${attack}-${rate}', input: data, config: {rate: '${rate}', tags: ['${attack}']}}",
        "    - {type: Eval, name: eval, input: [clean, 'victim-${attack}', data]}");
    List<String> names = spec.transforms().stream().map(TransformSpec::name).toList();
    assertThat(names, contains("data", "clean", "badnet", "blended", "victim-badnet", "victim-blended",
        "p-badnet-0.05", "p-badnet-0.1", "p-blended-0.05", "p-blended-0.1", "eval"));
    TransformSpec victim = spec.transform("victim-blended").orElseThrow();
    assertEquals(List.of("clean", "blended"), victim.inputs());
    assertEquals("victim of blended", victim.config().get("note"));
    TransformSpec p = spec.transform("p-blended-0.1").orElseThrow();
    assertEquals("a value that is one variable keeps its YAML type", 0.1, p.config().get("rate"));
    assertEquals(List.of("blended"), p.config().get("tags"));
    assertEquals("an input with an unbound variable lists every value",
        List.of("clean", "victim-badnet", "victim-blended", "data"), spec.transform("eval").orElseThrow().inputs());
    assertEquals(Map.of(), spec.transform("clean").orElseThrow().config());
  }

  @Test
  public void unknownVariablesConfigVariablesTheNameDoesNotBindAndSeedsAreRefusedWithTheirPlace() throws SpecException {
    PipelineSpec spec = parse(
        "pipeline:",
        "  matrix: {attack: [badnet], seed: [1, 2]}",
        "  transforms:",
        "    - {type: Src, name: data}",
        "    - {type: Train, name: 'victim-${atack}', input: data}",
        "    - {type: Train, name: ft, input: data, config: {x: '${attack}'}}");
    List<SpecError> errors = spec.shapeErrors();
    assertThat(where(errors), contains("2 pipeline.matrix.seed", "5 pipeline.transforms[1]", "6 pipeline.transforms[2].config"));
    assertThat(errors.get(0).message(), containsString("summarize"));
    assertThat(errors.get(1).message(), containsString("${atack}"));
    assertThat(errors.get(1).message(), containsString("[attack]"));
    assertThat(errors.get(2).message(), containsString("ft-${attack}"));
  }
}
