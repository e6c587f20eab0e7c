package org.abdflow.engine.spec;

import static org.abdflow.engine.spec.Specs.parse;
import static org.abdflow.engine.spec.Specs.resource;
import static org.abdflow.engine.spec.Specs.where;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class SpecValidatorTest {
  private final TypeCatalog catalog = new FakeCatalog();

  private List<SpecError> validate(String... lines) throws SpecException {
    return SpecValidator.validate(parse(lines), catalog);
  }

  @Test
  public void goodSpecHasNoErrors() throws Exception {
    PipelineSpec spec = SpecValidator.loadAndValidate(resource("good.yaml"), catalog);
    assertThat(spec.transforms(), hasSize(6));
    assertThat(SpecValidator.validate(spec, catalog), empty());
  }

  @Test
  public void unknownTypeListsKnownTypesAndSuggests() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - type: IdxSorce",
            "      name: a",
            "    - {type: Zorglub, name: b}",
            "    - {type: badnet, name: c}");
    assertThat(
        where(errors),
        contains(
            "3 pipeline.transforms[0].type",
            "5 pipeline.transforms[1].type",
            "6 pipeline.transforms[2].type"));
    assertThat(
        errors.get(0).message(),
        equalTo(
            "unknown type IdxSorce (known: BadNet, Defend, IdxSource, Train, ZeroShotEval);"
                + " did you mean IdxSource? Run `./abdflow plugins` to list types, or add the folder of the plugin JAR"
                + " that defines it with --plugins DIR or the spec's plugins: list"));
    assertThat(errors.get(1).message(), not(containsString("did you mean")));
    assertThat(errors.get(1).message(), containsString("(known: BadNet, Defend, IdxSource, Train, ZeroShotEval); run `./abdflow plugins`"));
    assertThat(errors.get(2).message(), containsString("did you mean BadNet?"));
    assertThat(errors.get(0).column(), equalTo(13));
  }

  @Test
  public void unknownTypeWithNoPluginsSaysSo() throws Exception {
    TypeCatalog none =
        new TypeCatalog() {
          @Override
          public SortedSet<String> types() {
            return new TreeSet<>();
          }

          @Override
          public Optional<TypeInfo> lookup(String type) {
            return Optional.empty();
          }
        };
    List<SpecError> errors =
        SpecValidator.validate(
            parse("pipeline:", "  transforms:", "    - {type: X, name: a}"), none);
    assertThat(errors.get(0).message(), containsString("are the plugins loaded?"));
  }

  @Test
  public void missingAndDuplicateNames() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: a, config: {images: i, labels: l}}",
            "    - type: IdxSource",
            "      config: {images: i, labels: l}",
            "    - {type: IdxSource, name: a, config: {images: i, labels: l}}",
            "    - {type: IdxSource, name: ../x, config: {images: i, labels: l}}",
            "    - {name: b}");
    assertThat(
        where(errors),
        contains(
            "4 pipeline.transforms[1].name",
            "6 pipeline.transforms[2].name",
            "7 pipeline.transforms[3].name",
            "8 pipeline.transforms[4].type"));
    assertThat(errors.get(0).message(), containsString("missing"));
    assertThat(errors.get(1).message(), equalTo("duplicate name a (first used at line 3)"));
    assertThat(errors.get(2).message(), containsString("not a valid name"));
    assertThat(errors.get(3).message(), containsString("missing"));
  }

  @Test
  public void unknownInputsNameTheInputAndTheTransforms() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: finetune, config: {images: i, labels: l}}",
            "    - {type: BadNet, name: poisoned, input: fintune, config: {target: bag}}",
            "    - type: ZeroShotEval",
            "      name: eval",
            "      input:",
            "        - poisoned",
            "        - victim",
            "        - poisoned");
    assertThat(
        where(errors),
        contains(
            "4 pipeline.transforms[1].input",
            "9 pipeline.transforms[2].input[1]",
            "10 pipeline.transforms[2].input[2]"));
    assertThat(
        errors.get(0).message(),
        equalTo(
            "unknown input fintune (transforms: finetune, poisoned, eval); did you mean"
                + " finetune?"));
    assertThat(errors.get(0).column(), equalTo(45));
    assertThat(errors.get(1).message(), containsString("unknown input victim"));
    assertThat(errors.get(2).message(), equalTo("input poisoned is given twice"));
  }

  @Test
  public void wrongNumberOfInputs() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: a, config: {images: i, labels: l}}",
            "    - {type: IdxSource, name: b, input: a, config: {images: i, labels: l}}",
            "    - {type: BadNet, name: c, config: {target: bag}}",
            "    - {type: BadNet, name: d, input: [a, b], config: {target: bag}}",
            "    - {type: Train, name: e, input: [a, b, c]}",
            "    - {type: ZeroShotEval, name: f, input: []}",
            "    - {type: Defend, name: g, input: [a, b, c, d]}",
            "    - {type: ZeroShotEval, name: h, input: [a, b, c, d, e, f, g]}");
    assertThat(
        where(errors),
        contains(
            "4 pipeline.transforms[1].input",
            "5 pipeline.transforms[2].input",
            "6 pipeline.transforms[3].input",
            "7 pipeline.transforms[4].input",
            "8 pipeline.transforms[5].input",
            "9 pipeline.transforms[6].input"));
    assertThat(errors.get(0).message(), equalTo("IdxSource takes no input, got 1 (a)"));
    assertThat(errors.get(1).message(), equalTo("BadNet takes exactly 1 input, got 0"));
    assertThat(errors.get(2).message(), equalTo("BadNet takes exactly 1 input, got 2 (a, b)"));
    assertThat(errors.get(3).message(), equalTo("Train takes 1 to 2 inputs, got 3 (a, b, c)"));
    assertThat(errors.get(4).message(), equalTo("ZeroShotEval takes at least 1 input, got 0"));
    assertThat(
        errors.get(5).message(), equalTo("Defend takes exactly 3 inputs, got 4 (a, b, c, d)"));
    // No input key: the error points at the transform.
    assertThat(errors.get(1).column(), equalTo(7));
  }

  @Test
  public void cyclesNameTheirTransforms() throws Exception {
    PipelineSpec spec = SpecLoader.load(resource("cycle.yaml"));
    List<SpecError> errors = SpecValidator.validate(spec, catalog);
    assertThat(
        where(errors),
        contains("4 pipeline.transforms[1].input", "8 pipeline.transforms[5].input"));
    assertThat(errors.get(0).message(), equalTo("the inputs form a cycle: a -> b -> c -> a"));
    assertThat(errors.get(1).message(), equalTo("the inputs form a cycle: self -> self"));
  }

  @Test
  public void configProblemsPointAtTheirKeys() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - type: IdxSource",
            "      name: src",
            "      config:",
            "        images: 3",
            "    - type: BadNet",
            "      name: bad",
            "      input: src",
            "      config:",
            "        target: bag",
            "        rate: 1.5",
            "        sise: 3",
            "    - {type: Train, name: t, input: bad, config: {epochs: ~}}");
    assertThat(
        where(errors),
        contains(
            "3 pipeline.transforms[0].config.labels",
            "6 pipeline.transforms[0].config.images",
            "12 pipeline.transforms[1].config.rate",
            "13 pipeline.transforms[1].config.sise"));
    assertThat(errors.get(0).message(), containsString("is required"));
    assertThat(errors.get(1).message(), containsString("expected a string, got 3"));
    assertThat(errors.get(2).message(), containsString("out of range: 1.5"));
    assertThat(
        errors.get(3).message(),
        equalTo("unknown key (known: target, rate, size); did you mean size? `./abdflow plugins describe BadNet` lists its keys"));
  }

  @Test
  public void configureErrorsPointAtTheKeyTheyName() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: src, config: {images: i, labels: l}}",
            "    - type: BadNet",
            "      name: bad",
            "      input: src",
            "      config:",
            "        rate: 0.9",
            "        size: 40",
            "        target: bag",
            "    - {type: Train, name: t, input: bad, config: {model: broken}}");
    assertThat(
        where(errors),
        contains("9 pipeline.transforms[1].config.size", "11 pipeline.transforms[2].config"));
    assertThat(errors.get(0).message(), equalTo("must be at most 32 when rate > 0.5"));
    assertThat(errors.get(1).message(), containsString("IllegalStateException: boom"));
  }

  @Test
  public void shapeErrorsAreReported() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  seed: x",
            "  transforms: {type: Train}",
            "  runner: direct",
            "extra: 1",
            "plugins: [p]");
    assertThat(
        where(errors),
        contains("2 pipeline.seed", "3 pipeline.transforms", "4 pipeline.runner", "5 extra"));
    assertThat(errors.get(0).message(), equalTo("must be an integer, not \"x\""));
    assertThat(errors.get(1).message(), equalTo("must be a list of transforms, not a map"));
    assertThat(errors.get(2).message(), equalTo("unknown key (known: seed, matrix, transforms)"));
    assertThat(errors.get(3).message(), equalTo("unknown key (known: params, pipeline, plugins)"));
  }

  @Test
  public void malformedConfigAndInputAddNoFollowUpErrors() throws Exception {
    List<SpecError> errors =
        validate(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: a, config: [images, labels]}",
            "    - {type: BadNet, name: b, input: {from: a}, config: {target: bag}}");
    assertThat(
        where(errors),
        contains("3 pipeline.transforms[0].config", "4 pipeline.transforms[1].input"));
  }

  @Test
  public void missingPipelineAndTransforms() throws Exception {
    assertThat(where(validate("plugins: [p]")), contains("1 pipeline"));
    assertThat(where(validate("pipeline: {seed: 3}")), contains("1 pipeline.transforms"));
    assertThat(where(validate("pipeline:", "  transforms: []")), contains("2 pipeline.transforms"));
  }

  @Test
  public void reportsEveryErrorOfAFileInOrder() throws Exception {
    Path file = resource("many-errors.yaml");
    SpecException e =
        assertThrows(SpecException.class, () -> SpecValidator.loadAndValidate(file, catalog));
    assertThat(
        where(e.errors()),
        contains(
            "2 pipeline.seed",
            "4 pipeline.transforms[0].type",
            "9 pipeline.transforms[1].input",
            "9 pipeline.transforms[1].input[1]",
            "12 pipeline.transforms[1].config.rate",
            "13 pipeline.transforms[1].config.sise",
            "15 pipeline.transforms[2].name",
            "17 pipeline.transforms[2].config",
            "18 pipeline.transforms[3].name",
            "20 pipeline.transforms[3].inputs",
            "23 pipeline.transforms[4].input",
            "27 pipeline.transforms[5].config.epochs",
            "28 extra"));
    assertThat(e.errors().get(1).message(), containsString("did you mean IdxSource?"));
    assertThat(e.errors().get(3).message(), containsString("unknown input finetune"));
    assertThat(e.errors().get(9).message(), containsString("did you mean input?"));
    assertThat(
        e.errors().get(10).message(),
        equalTo("the inputs form a cycle: loop-a -> loop-b -> loop-a"));
    String[] lines = e.getMessage().split("\n");
    assertThat(lines.length, equalTo(13));
    assertThat(lines[0], equalTo(file + ":2:9: pipeline.seed: must be an integer, not \"one\""));
  }
}
