package org.abdflow.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo spec translated by Beam's DataflowRunner into a Dataflow job (a classic template on
 * local disk; no credentials, nothing submitted): the training stages, and only they, carry the
 * accelerator hint, in the job's steps and in the portable pipeline the workers run; every plugin
 * JAR is among the job's staged packages.
 */
public class DataflowTemplateTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String ACCELERATOR = "beam:resources:accelerator:v1";
  /** The training DoFn's step, inside the stage's hinted {@code Train} composite. */
  private static final String TRAIN_DOFN = "/Train/ParDo(Train)";
  private static final List<String> TRAINING = List.of("clean", "victim", "ft", "cleanclip", "roclip", "abd");

  @Test
  public void theDemoBecomesADataflowJobWithGpuHintsOnTrainingAndThePluginsStaged() throws Exception {
    Path root = Path.of(System.getProperty("abdflow.root", "../.."));
    Path dir = TMP.getRoot().toPath();
    Path template = dir.resolve("demo-job.json");
    Path staging = dir.resolve("staging");
    RunRequest request = RunRequest.builder()
        .setSpec(root.resolve("pipelines/demo.yaml"))
        .setOutput(dir.resolve("run"))
        .setRunner("dataflow")
        .setParams(Map.of("device", "auto"))
        .setBeamArgs(List.of("--project=abdflow-test", "--region=europe-west4", "--jobName=abdflow-demo",
            "--gcpTempLocation=" + dir.resolve("temp"), "--stagingLocation=" + staging, "--templateLocation=" + template,
            // no Google Cloud here: local paths pass, and no credentials are looked up
            "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
            "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory"))
        .build();
    assertTrue(Abdflow.writesTemplate(request));
    assertEquals(template.toString(), Abdflow.writeTemplate(request));
    assertFalse("a template runs nothing", Files.exists(dir.resolve("run/report.json")));

    JsonNode job = new ObjectMapper().readTree(template.toFile());
    assertEquals("abdflow-demo", job.path("name").asText());

    // Dataflow's step graph: the hint, URL-encoded, on each training stage's DoFn step only
    Map<String, String> hinted = new TreeMap<>();
    for (JsonNode step : job.path("steps")) {
      JsonNode hints = step.path("properties").path("resource_hints");
      if (hints.has(ACCELERATOR)) {
        hinted.put(step.path("properties").path("user_name").path("value").asText(),
            URLDecoder.decode(hints.path(ACCELERATOR).asText(), StandardCharsets.UTF_8));
      }
    }
    Map<String, String> expected = new TreeMap<>();
    TRAINING.forEach(t -> expected.put(t + TRAIN_DOFN, "type:nvidia-tesla-t4;count:1;install-nvidia-driver"));
    assertEquals(expected, hinted);

    // the portable pipeline (Runner v2): the training DoFns run in an environment with the hint
    RunnerApi.Pipeline portable;
    try (var files = Files.list(staging)) {
      Path pb = files.filter(f -> f.getFileName().toString().startsWith("pipeline")).findFirst().orElseThrow();
      portable = RunnerApi.Pipeline.parseFrom(Files.readAllBytes(pb));
    }
    List<String> gpuTransforms = new ArrayList<>();
    portable.getComponents().getTransformsMap().forEach((id, t) -> {
      RunnerApi.Environment env = portable.getComponents().getEnvironmentsMap().get(t.getEnvironmentId());
      if (env != null && env.getResourceHintsMap().containsKey(ACCELERATOR) && t.getSubtransformsCount() == 0) {
        gpuTransforms.add(t.getUniqueName());
      }
    });
    // (the portable graph spells the ParDo out as its ParMultiDo)
    assertEquals(TRAINING.stream().map(t -> t + TRAIN_DOFN + "/ParMultiDo(Train)").sorted().toList(), gpuTransforms.stream().sorted().toList());

    // the plugin JARs travel with the job, next to the class path
    List<String> staged = new ArrayList<>();
    for (JsonNode pool : job.path("environment").path("workerPools")) {
      pool.path("packages").forEach(p -> staged.add(p.path("name").asText()));
    }
    List<String> plugins;
    try (var jars = Files.list(root.resolve("target/plugins"))) {
      plugins = jars.map(j -> j.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
    }
    assertFalse(plugins.isEmpty());
    for (String plugin : plugins) {
      String stem = plugin.substring(0, plugin.length() - ".jar".length());
      assertTrue(plugin + " not staged: " + staged, staged.stream().anyMatch(s -> s.startsWith(stem + "-")));
    }
    assertThat(staged.toString(), staged, hasItem(startsWith("abdflow-engine-")));
  }
}
