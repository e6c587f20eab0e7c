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
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class SpecLoaderTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** Counts constructions, to prove a tag naming it never builds one. */
  public static final class Gadget {
    static final AtomicInteger BUILT = new AtomicInteger();

    public Gadget() {
      BUILT.incrementAndGet();
    }
  }

  @Test
  public void loadsGoodSpecWithLines() throws Exception {
    Path file = resource("good.yaml");
    PipelineSpec spec = SpecLoader.load(file);

    assertThat(spec.file(), equalTo(file));
    assertThat(spec.seed(), equalTo(42L));
    assertThat(spec.shapeErrors(), empty());
    assertThat(
        spec.transforms().stream().map(TransformSpec::name).toList(),
        contains("pretrain", "finetune", "victim", "poisoned", "clean", "eval"));
    assertThat(
        spec.pluginDirs(),
        contains(file.getParent().resolve("plugins"), Path.of("/opt/abdflow/plugins")));

    TransformSpec pretrain = spec.transform("pretrain").orElseThrow();
    assertThat(pretrain.type(), equalTo("IdxSource"));
    assertThat(pretrain.index(), equalTo(0));
    assertThat(pretrain.inputs(), empty());
    assertThat(pretrain.location(), equalTo(SourceLocation.of(file, 5, 7)));
    assertThat(pretrain.locationOf("images").line(), equalTo(8));
    assertThat(pretrain.locationOf("labels").line(), equalTo(9));
    assertThat(pretrain.locationOf("captions"), equalTo(pretrain.location()));
    assertThat(pretrain.keyPath(), equalTo("pipeline.transforms[0]"));

    TransformSpec victim = spec.transform("victim").orElseThrow();
    assertThat(victim.location().line(), equalTo(11));
    assertThat(victim.inputs(), contains("clean", "poisoned"));
    assertThat(victim.inputLocation().line(), equalTo(11));
    assertThat(victim.config(), equalTo(Map.of("epochs", 10, "lr", 1.0e-3)));

    TransformSpec poisoned = spec.transform("poisoned").orElseThrow();
    assertThat(poisoned.inputs(), contains("finetune"));
    assertThat(poisoned.config().get("rate"), equalTo(0.05));

    TransformSpec eval = spec.transform("eval").orElseThrow();
    assertThat(eval.location().line(), equalTo(17));
    assertThat(eval.typeLocation().line(), equalTo(17));
    assertThat(eval.nameLocation().line(), equalTo(18));
    assertThat(eval.inputLocation().line(), equalTo(19));
    assertThat(eval.inputLocation(1).line(), equalTo(21));
    assertThat(eval.config().get("attacks"), equalTo(List.of("BadNet")));
    assertThat(eval.locationOf("target").line(), equalTo(24));

    assertThat(spec.transform("nope").isPresent(), equalTo(false));
  }

  @Test
  public void defaultsAndSingleValues() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  transforms:",
            "    - {type: IdxSource, name: a, input: , config: }",
            "plugins: extra");
    assertThat(spec.seed(), equalTo(1L));
    assertThat(spec.shapeErrors(), empty());
    assertThat(spec.transforms().get(0).inputs(), empty());
    assertThat(spec.transforms().get(0).config(), equalTo(Map.of()));
    assertThat(spec.pluginDirs(), contains(Path.of("extra").toAbsolutePath()));
  }

  @Test
  public void scalarsResolveLikeSnakeYaml() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  seed: -7",
            "  transforms:",
            "    - type: T",
            "      name: t",
            "      config:",
            "        int: 12",
            "        hex: 0x1F",
            "        under: 1_000",
            "        long: 12345678901",
            "        huge: 123456789012345678901234567890",
            "        sci: 1e-3",
            "        float: 2.5",
            "        inf: .inf",
            "        yes: yes",
            "        off: Off",
            "        nothing: ~",
            "        empty:",
            "        date: 2024-01-31",
            "        quoted: \"12\"",
            "        str: !!str 13",
            "        text: bag",
            "        nested: {a: [1, {b: c}]}");
    Map<String, Object> c = spec.transforms().get(0).config();
    assertThat(spec.seed(), equalTo(-7L));
    assertThat(c.get("int"), equalTo(12));
    assertThat(c.get("hex"), equalTo(31));
    assertThat(c.get("under"), equalTo(1000));
    assertThat(c.get("long"), equalTo(12345678901L));
    assertThat(c.get("huge"), equalTo(new BigInteger("123456789012345678901234567890")));
    assertThat(c.get("sci"), equalTo(1e-3));
    assertThat(c.get("float"), equalTo(2.5));
    assertThat(c.get("inf"), equalTo(Double.POSITIVE_INFINITY));
    assertThat(c.get("yes"), equalTo(true));
    assertThat(c.get("off"), equalTo(false));
    assertThat(c.get("nothing"), nullValue());
    assertThat(c.containsKey("empty"), equalTo(true));
    assertThat(c.get("empty"), nullValue());
    assertThat(c.get("date"), equalTo("2024-01-31"));
    assertThat(c.get("quoted"), equalTo("12"));
    assertThat(c.get("str"), equalTo("13"));
    assertThat(c.get("text"), equalTo("bag"));
    assertThat(c.get("nested"), equalTo(Map.of("a", List.of(1, Map.of("b", "c")))));
    assertThat(
        c.keySet(),
        contains(
            "int", "hex", "under", "long", "huge", "sci", "float", "inf", "yes", "off", "nothing",
            "empty", "date", "quoted", "str", "text", "nested"));
  }

  @Test
  public void configIsImmutable() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:", "  transforms:", "    - {type: T, name: t, config: {a: [1], b: {c: 2}}}");
    Map<String, Object> c = spec.transforms().get(0).config();
    assertThrows(UnsupportedOperationException.class, () -> c.put("x", 1));
    List<?> a = (List<?>) c.get("a");
    assertThrows(UnsupportedOperationException.class, () -> a.remove(0));
    @SuppressWarnings("unchecked")
    Map<String, Object> b = (Map<String, Object>) c.get("b");
    assertThrows(UnsupportedOperationException.class, () -> b.put("d", 3));
  }

  @Test
  public void anchorsAndMergeKeys() throws Exception {
    PipelineSpec spec =
        parse(
            "common: &train {epochs: 5, lr: 0.1}",
            "pipeline:",
            "  transforms:",
            "    - {type: T, name: a, config: {<<: *train, lr: 0.2}}",
            "    - {type: T, name: b, config: *train}");
    // "common" is not a spec key; the anchor still works.
    assertThat(where(spec.shapeErrors()), contains("1 common"));
    assertThat(spec.transforms().get(0).config(), equalTo(Map.of("epochs", 5, "lr", 0.2)));
    assertThat(spec.transforms().get(0).locationOf("epochs").line(), equalTo(1));
    assertThat(spec.transforms().get(0).locationOf("lr").line(), equalTo(4));
    assertThat(spec.transforms().get(1).config(), equalTo(Map.of("epochs", 5, "lr", 0.1)));
  }

  @Test
  public void mergeNeedsMaps() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                parse(
                    "pipeline:",
                    "  transforms:",
                    "    - {type: T, name: a, config: {<<: !!int x}}"));
    assertThat(where(e.errors()), contains("3 pipeline.transforms[0].config.<<"));
    assertThat(
        e.errors().get(0).message(), equalTo("<< merges a map or a list of maps, not \"x\""));
  }

  @Test
  public void refusesJavaTypeTagsWithoutConstructingAnything() throws Exception {
    Gadget.BUILT.set(0);
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                parse(
                    "pipeline:",
                    "  transforms:",
                    "    - type: T",
                    "      name: t",
                    "      config: {x: !!org.abdflow.engine.spec.SpecLoaderTest$Gadget {}}"));
    assertThat(Gadget.BUILT.get(), equalTo(0));
    assertThat(where(e.errors()), contains("5 pipeline.transforms[0].config.x"));
    assertThat(
        e.errors().get(0).message(),
        containsString("tag !!org.abdflow.engine.spec.SpecLoaderTest$Gadget is not allowed"));
  }

  @Test
  public void refusesEveryForeignTagAtOnce() {
    Path file = resource("unsafe.yaml");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(file));
    assertThat(
        where(e.errors()),
        contains(
            "6 pipeline.transforms[0].config.images",
            "7 pipeline.transforms[0].config.labels",
            "8 pipeline.transforms[0].config.captions"));
    assertThat(e.errors().get(0).message(), containsString("!!javax.script.ScriptEngineManager"));
    assertThat(e.errors().get(1).message(), containsString("!!java.io.File"));
    assertThat(e.errors().get(2).message(), containsString("!templates"));
    assertThat(e.errors().get(0).file(), equalTo(file));
  }

  @Test
  public void refusesTagsOnKeysAndNonCoreStandardTags() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                parse(
                    "pipeline:",
                    "  transforms: !!set {a, b}",
                    "  !foo seed: 1",
                    "plugins: !!binary aGVsbG8="));
    assertThat(
        where(e.errors()), contains("2 pipeline.transforms", "3 pipeline.seed", "4 plugins"));
  }

  @Test
  public void refusesInvalidExplicitScalars() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> parse("pipeline:", "  seed: !!int twelve", "  transforms: []"));
    assertThat(where(e.errors()), contains("2 pipeline.seed"));
    assertThat(e.errors().get(0).message(), containsString("\"twelve\" is not a valid !!int"));
  }

  @Test
  public void refusesDuplicateKeysEverywhere() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                parse(
                    "pipeline:",
                    "  seed: 1",
                    "  transforms:",
                    "    - type: T",
                    "      name: a",
                    "      type: U",
                    "      config: {rate: 1, rate: 2}",
                    "  seed: 2"));
    assertThat(
        where(e.errors()),
        contains(
            "6 pipeline.transforms[0].type",
            "7 pipeline.transforms[0].config.rate",
            "8 pipeline.seed"));
    assertThat(e.errors().get(0).message(), equalTo("duplicate key (first given at line 4)"));
    assertThat(e.errors().get(2).message(), equalTo("duplicate key (first given at line 2)"));
  }

  @Test
  public void syntaxErrorHasItsLine() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> parse("pipeline:", "  transforms:", "    - {type: T, name: a", "  seed: 1"));
    assertThat(e.errors(), hasSize(1));
    assertThat(e.errors().get(0).line(), equalTo(4));
    assertThat(e.errors().get(0).keyPath(), equalTo(""));
    assertThat(e.errors().get(0).message(), containsString("started at line 3"));
    assertThat(e.getMessage(), containsString("inline.yaml:4:"));
  }

  @Test
  public void badIndentationIsASyntaxError() {
    SpecException e =
        assertThrows(SpecException.class, () -> parse("pipeline:", "  seed: 1", " transforms: []"));
    assertThat(e.errors().get(0).line(), equalTo(3));
  }

  @Test
  public void refusesSeveralDocuments() {
    SpecException e =
        assertThrows(SpecException.class, () -> parse("pipeline: {}", "---", "pipeline: {}"));
    assertThat(e.errors().get(0).line(), equalTo(2));
  }

  @Test
  public void refusesEmptySpec() {
    SpecException e = assertThrows(SpecException.class, () -> parse("# nothing here"));
    assertThat(e.getMessage(), equalTo("inline.yaml:1:1: the spec is empty"));
  }

  @Test
  public void refusesRecursiveAnchors() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                parse(
                    "pipeline:",
                    "  transforms:",
                    "    - {type: T, name: a, config: {x: &r [1, *r]}}"));
    assertThat(e.errors().get(0).message(), containsString("recursive"));
    assertThat(e.errors().get(0).line(), equalTo(3));
  }

  @Test
  public void pluginsListFoldersAndJarsPinnedByDigest() throws Exception {
    String hex = "ab".repeat(32);
    PipelineSpec spec =
        parse(
            "pipeline: {transforms: [{type: T, name: a}]}",
            "plugins:",
            "  - plugins/",
            "  - {path: vendor/badnet-0.1.0.jar, sha256: " + hex.toUpperCase() + "}",
            "  - {path: plugins/x.jar, sha256: " + hex + "}");
    assertThat(spec.shapeErrors(), empty());
    Path base = Specs.INLINE.toAbsolutePath().getParent();
    assertThat(spec.pluginDirs(), contains(base.resolve("plugins"), base.resolve("vendor")));
    assertThat(spec.pinnedPlugins().get(0).jar(), equalTo(base.resolve("vendor/badnet-0.1.0.jar")));
    assertThat(spec.pinnedPlugins().get(0).sha256(), equalTo(hex));
    assertThat(spec.pinnedPlugins().get(0).location().line(), equalTo(4));
    assertThat(spec.pinnedPlugins(), hasSize(2));

    spec =
        parse(
            "pipeline: {transforms: [{type: T, name: a}]}",
            "plugins:",
            "  - {path: vendor/a.jar, sha256: 12ab}",
            "  - {path: vendor/, sha256: " + hex + "}",
            "  - {path: vendor/b.jar}",
            "  - {path: vendor/c.jar, sha256: " + hex + ", sha: x}",
            "  - {path: vendor/d.jar, sha256: " + hex + "}",
            "  - {path: vendor/d.jar, sha256: " + "cd".repeat(32) + "}");
    assertThat(
        where(spec.shapeErrors()),
        contains(
            "3 plugins[0].sha256",
            "4 plugins[1].path",
            "5 plugins[2].sha256",
            "6 plugins[3].sha",
            "8 plugins[5]"));
    assertThat(spec.shapeErrors().get(0).message(), containsString("64 hex digits"));
    assertThat(spec.shapeErrors().get(1).message(), containsString("a pinned plugin is a .jar file"));
    assertThat(spec.shapeErrors().get(2).message(), containsString("needs path (its JAR) and sha256"));
    assertThat(spec.shapeErrors().get(4).message(), containsString("pinned twice, to different digests"));
  }

  @Test
  public void refusesHugeSpecsBeforeParsingThem() throws Exception {
    // A file: refused by its size, before it is read.
    Path big = tmp.newFile("big.yaml").toPath();
    try (var out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
      out.write("pipeline:\n  transforms:\n    - {type: T, name: a}\n");
      String comment = "# " + "x".repeat(1022) + "\n";
      for (long n = 0; n <= SpecLoader.MAX_SPEC_BYTES / comment.length(); n++) {
        out.write(comment);
      }
    }
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(big));
    assertThat(e.getMessage(), containsString(big + ":1:1: the spec is " + Files.size(big) + " bytes"));
    assertThat(e.getMessage(), containsString("more than the limit of " + SpecLoader.MAX_SPEC_BYTES));

    // Text: refused by its length in characters.
    String text = "pipeline: {transforms: [{type: T, name: a}]}\n# " + "x".repeat(YamlReader.MAX_CODE_POINTS) + "\n";
    e = assertThrows(SpecException.class, () -> SpecLoader.parse(text, Specs.INLINE));
    assertThat(e.getMessage(), containsString("the spec is longer than " + YamlReader.MAX_CODE_POINTS + " characters"));
    assertThat(e.errors().get(0).file(), equalTo(Specs.INLINE));
  }

  @Test
  public void refusesAliasBombs() {
    // Five aliases a level (41 in all, under SnakeYAML's limit of 50), 8 levels: 9 * 5^8 (3.5
    // million) strings once expanded.
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 8; i++) {
      String prev = "*a" + (i - 1);
      String[] five = new String[5];
      Arrays.fill(five, prev);
      yaml.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(String.join(", ", five))
          .append("]\n");
    }
    yaml.append("pipeline:\n  transforms:\n    - {type: T, name: t, config: {bomb: *a8}}\n");
    SpecException e =
        assertThrows(SpecException.class, () -> SpecLoader.parse(yaml.toString(), Specs.INLINE));
    assertThat(e.getMessage(), containsString("expands to over"));
  }

  @Test
  public void recordsShapeErrorsAndKeepsGoing() throws Exception {
    PipelineSpec spec =
        parse(
            "pipeline:",
            "  seed: 1.5",
            "  transforms:",
            "    - just a string",
            "    - type: [T]",
            "      name: ok",
            "      input: {a: b}",
            "      config: 3",
            "    - {type: T, name: two, input: [ok, [x]], cofig: {}}",
            "plugins: {a: b}");
    assertThat(
        where(spec.shapeErrors()),
        contains(
            "2 pipeline.seed",
            "4 pipeline.transforms[0]",
            "5 pipeline.transforms[1].type",
            "7 pipeline.transforms[1].input",
            "8 pipeline.transforms[1].config",
            "9 pipeline.transforms[2].input[1]",
            "9 pipeline.transforms[2].cofig",
            "10 plugins"));
    assertThat(spec.shapeErrors().get(6).message(), containsString("did you mean config?"));
    assertThat(spec.transforms(), hasSize(2));
    TransformSpec ok = spec.transforms().get(0);
    assertThat(ok.index(), equalTo(1));
    assertThat(ok.malformed(), equalTo(java.util.Set.of("type", "input", "config")));
    assertThat(spec.transforms().get(1).inputs(), contains("ok"));
  }

  @Test
  public void rootMustBeAMap() throws Exception {
    PipelineSpec spec = parse("- a", "- b");
    assertThat(where(spec.shapeErrors()), contains("1 "));
    assertThat(spec.shapeErrors().get(0).message(), containsString("not a list"));
  }

  @Test
  public void loadReadsFilesAndReportsMissingOnes() throws Exception {
    Path file = tmp.newFile("spec.yaml").toPath();
    Files.writeString(
        file, "\uFEFFpipeline:\n  transforms:\n    - {type: T, name: a}\n", StandardCharsets.UTF_8);
    assertThat(SpecLoader.load(file).transforms().get(0).location().line(), equalTo(3));

    Path missing = tmp.getRoot().toPath().resolve("missing.yaml");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(missing));
    assertThat(e.getMessage(), equalTo(missing + ":1:1: no such file"));
    Path typo = tmp.getRoot().toPath().resolve("spce.yaml");
    e = assertThrows(SpecException.class, () -> SpecLoader.load(typo));
    assertThat(e.getMessage(), equalTo(typo + ":1:1: no such file; did you mean spec.yaml?"));
    Path nowhere = tmp.getRoot().toPath().resolve("nowhere/spec.yaml");
    e = assertThrows(SpecException.class, () -> SpecLoader.load(nowhere));
    assertThat(e.getMessage(), containsString("no such file (nor its folder " + nowhere.getParent()));

    Path folder = tmp.newFolder("folder.yaml").toPath();
    e = assertThrows(SpecException.class, () -> SpecLoader.load(folder));
    assertThat(e.getMessage(), equalTo(folder + ":1:1: cannot read the spec: Is a directory"));

    Path binary = tmp.newFile("binary.yaml").toPath();
    Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe});
    e = assertThrows(SpecException.class, () -> SpecLoader.load(binary));
    assertThat(e.getMessage(), containsString("not UTF-8"));
  }

  @Test
  public void specErrorFormats() {
    SpecError e =
        SpecError.create(SourceLocation.of(Path.of("s.yaml"), 3, 5), "pipeline.seed", "bad");
    assertThat(e.toString(), equalTo("s.yaml:3:5: pipeline.seed: bad"));
    SpecError bare = SpecError.create(SourceLocation.of(Path.of("s.yaml"), 1, 1), "", "empty");
    assertThat(bare.toString(), equalTo("s.yaml:1:1: empty"));
    SpecException ex = new SpecException(List.of(e, bare));
    assertThat(ex.getMessage(), equalTo("s.yaml:3:5: pipeline.seed: bad\ns.yaml:1:1: empty"));
    assertThat(ex.errors(), contains(e, bare));
    assertThrows(IllegalArgumentException.class, () -> new SpecException(List.of()));
    assertThat(ex, instanceOf(Exception.class));
  }
}
