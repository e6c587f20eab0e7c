package org.abdflow.cli;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.stages.GraphBuilder;
import org.abdflow.engine.stages.RunLayout;
import org.abdflow.engine.stages.StageCatalog;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHint;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Training stages asked for a GPU carry Beam's accelerator hint in the graph; CPU stages carry none. */
public class DeviceHintsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void gpuTrainingCarriesTheAcceleratorHintAndCpuTrainingNone() throws Exception {
    Path dir = TMP.getRoot().toPath();
    TestData.writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), 16, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, """
        pipeline:
          transforms:
            - {type: IdxSource, name: data, config: {images: i.gz, labels: l.gz, resize: 32}}
            - {type: Train, name: on-cpu, input: data, config: {epochs: 1}}
            - {type: Train, name: on-gpu, input: [on-cpu, data], config: {epochs: 1, device: gpu, accelerator: "type:nvidia-tesla-a100;count:2"}}
        """);
    PipelineSpec validated = Abdflow.validate(spec, List.of());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    GraphBuilder.build(p, validated, new StageCatalog(PluginRegistry.shared(List.of(Abdflow.defaultPluginDir()))), RunLayout.at(dir.resolve("out")));
    List<String> hinted = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        record(node, hinted);
      }

      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        record(node, hinted);
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertEquals(List.of("on-gpu/Train type:nvidia-tesla-a100;count:2"), hinted);
  }

  private static void record(TransformHierarchy.Node node, List<String> hinted) {
    if (node.getTransform() == null) {
      return;
    }
    ResourceHint hint = node.getTransform().getResourceHints().hints().get("beam:resources:accelerator:v1");
    if (hint != null) {
      hinted.add(node.getFullName() + " " + new String(hint.toBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
