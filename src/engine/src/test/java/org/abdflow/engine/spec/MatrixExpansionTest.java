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
  public void unknownVariablesAndConfigVariablesTheNameDoesNotBindAreRefusedWithTheirPlace() throws SpecException {
    PipelineSpec spec = parse(
        "pipeline:",
        "  matrix: {attack: [badnet]}",
        "  transforms:",
        "    - {type: Src, name: data}",
        "    - {type: Train, name: 'victim-${atack}', input: data}",
        "    - {type: Train, name: ft, input: data, config: {x: '${attack}'}}",
        "    - {type: Train, name: 'v-${seed}', input: data}");
    List<SpecError> errors = spec.shapeErrors();
    assertThat(where(errors), contains("5 pipeline.transforms[1]", "6 pipeline.transforms[2].config", "7 pipeline.transforms[3]"));
    assertThat(errors.get(0).message(), containsString("${atack}"));
    assertThat(errors.get(0).message(), containsString("[attack]"));
    assertThat(errors.get(1).message(), containsString("ft-${attack}"));
    assertThat(errors.get(2).message(), containsString("seeds need no variable"));
  }

  @Test
  public void aSeedListCopiesTheWholePipelineOncePerSeedWithItsInputsAndReferencesInTheSameCopy() throws SpecException {
    PipelineSpec spec = parse(
        "pipeline:",
        "  matrix: {seed: [3, 7], attack: [badnet, blended]}",
        "  transforms:",
        "    - {type: Src, name: data, config: {path: data}}",
        "    - {type: BadNet, name: badnet, input: data}",
        "    - {type: Blended, name: blended, input: data}",
        "    - {type: Train, name: 'victim-${attack}', input: [data, '${attack}']}",
        "    - {type: Eval, name: 'eval-${attack}', input: ['victim-${attack}', data], config: {attacks: ['${attack}'], note: badnet-ish}}");
    assertEquals(List.of(), spec.shapeErrors());
    assertEquals(List.of(3L, 7L), spec.seeds());
    List<String> names = spec.transforms().stream().map(TransformSpec::name).toList();
    assertThat(names, contains("data.seed3", "badnet.seed3", "blended.seed3", "victim-badnet.seed3", "victim-blended.seed3",
        "eval-badnet.seed3", "eval-blended.seed3", "data.seed7", "badnet.seed7", "blended.seed7", "victim-badnet.seed7",
        "victim-blended.seed7", "eval-badnet.seed7", "eval-blended.seed7"));
    TransformSpec eval = spec.transform("eval-blended.seed7").orElseThrow();
    assertEquals(List.of("victim-blended.seed7", "data.seed7"), eval.inputs());
    assertEquals("configs keep the spec's names", List.of("blended"), eval.config().get("attacks"));
    assertEquals("a config naming a transform means the same seed's copy", "blended.seed7", spec.reference("eval-blended.seed7", "blended"));
    assertEquals("data", spec.transform("data.seed3").orElseThrow().config().get("path"));
    assertEquals("nothing to map without seeds", "x", spec.reference("nope", "x"));
    assertEquals(7L, spec.seedOf("victim-badnet.seed7"));
    assertEquals("victim-badnet", spec.transform("victim-badnet.seed7").orElseThrow().baseName());
    assertEquals(java.util.OptionalLong.empty(), parse("pipeline:", "  transforms:", "    - {type: Src, name: data}")
        .transforms().get(0).seed());
  }

  @Test
  public void seedsAreIntegers() throws SpecException {
    PipelineSpec spec = parse(
        "pipeline:",
        "  matrix: {seed: [1, two]}",
        "  transforms:",
        "    - {type: Src, name: data}");
    assertThat(where(spec.shapeErrors()), contains("2 pipeline.matrix.seed"));
    assertThat(spec.shapeErrors().get(0).message(), containsString("integers, not two"));
  }

  @Test
  public void paramsFillConfigsFromDefaultsOrGivenValuesAndMissingOrUnknownOnesAreNamed() throws SpecException {
    String text = String.join("\n",
        "params:",
        "  data: /data/default.csv",
        "  weights: null",
        "  epochs: 3",
        "pipeline:",
        "  transforms:",
        "    - {type: Src, name: src, config: {csv: '${data}', note: 'from ${data}'}}",
        "    - {type: Train, name: t, input: src, config: {weights: '${weights}', epochs: '${epochs}'}}") + "\n";
    PipelineSpec given = SpecLoader.parse(text, Specs.INLINE, Map.of("weights", "/w.safetensors"));
    assertEquals(List.of(), given.shapeErrors());
    assertEquals("/data/default.csv", given.transform("src").orElseThrow().config().get("csv"));
    assertEquals("from /data/default.csv", given.transform("src").orElseThrow().config().get("note"));
    assertEquals("/w.safetensors", given.transform("t").orElseThrow().config().get("weights"));
    assertEquals("a param that is a number stays one", 3, given.transform("t").orElseThrow().config().get("epochs"));

    PipelineSpec missing = SpecLoader.parse(text, Specs.INLINE, Map.of("wieghts", "/w"));
    assertThat(where(missing.shapeErrors()), contains("3 params.weights", "2 params.wieghts"));
    assertThat(missing.shapeErrors().get(0).message(), containsString("--param weights=VALUE"));
    assertThat(missing.shapeErrors().get(1).message(), containsString("did you mean weights?"));
  }
}
