package org.abdflow.model.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.Synthetic;
import org.abdflow.model.text.WordTokenizer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EpochCheckpointsTest {
  private static final TrainingOptions OPTIONS =
      TrainingOptions.builder().setEpochs(4).setBatchSize(20).setLearningRate(2e-3).setWarmupSteps(2).setSeed(7).build();
  private static final Synthetic DATA = new Synthetic(60, 3);

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static ClipModel model() {
    return ClipModel.create(ClipConfig.preset("clip-tiny"), WordTokenizer.build(DATA.captions(), 16), 11);
  }

  /** Fails the training at the end of epoch {@code epoch} (0-based), as a kill would. */
  private static TrainingListener crashAfter(int epoch) {
    return new TrainingListener() {
      @Override
      public void onStep(int e, int step, float loss, double lr, double millis) {
        if (e == epoch + 1) {
          throw new IllegalStateException("killed");
        }
      }
    };
  }

  private byte[] weights(ClipModel model) throws IOException {
    Path f = tmp.newFile().toPath();
    model.saveStateDict(f);
    return Files.readAllBytes(f);
  }

  private byte[] uninterrupted(List<Float> losses) throws IOException {
    try (ClipModel model = model()) {
      losses.addAll(new ClipTrainer(model, OPTIONS).fit(DATA, Objectives.clip()).epochLosses());
      return weights(model);
    }
  }

  @Test
  public void aTrainingKilledMidRunResumesToTheSameWeights() throws IOException {
    List<Float> expectedLosses = new ArrayList<>();
    byte[] expected = uninterrupted(expectedLosses);
    EpochCheckpoints epochs = new EpochCheckpoints(tmp.getRoot().toPath().resolve("epochs"));
    try (ClipModel model = model()) {
      ClipTrainer trainer = new ClipTrainer(model, OPTIONS).checkpointEpochs(epochs).addListener(crashAfter(1));
      assertThrows(IllegalStateException.class, () -> trainer.fit(DATA, Objectives.clip()));
    }
    assertEquals("only the newest finished epoch is kept", List.of("epoch-2"), names(epochs.dir()));

    List<Integer> epochsRun = new ArrayList<>();
    try (ClipModel model = model()) {
      TrainingResult r = new ClipTrainer(model, OPTIONS).checkpointEpochs(epochs).addListener(new TrainingListener() {
        @Override
        public void onEpochEnd(int epoch, float meanLoss, double seconds) {
          epochsRun.add(epoch);
        }
      }).fit(DATA, Objectives.clip());
      assertEquals("the rerun trains only the epochs the first run did not finish", List.of(2, 3), epochsRun);
      assertEquals(expectedLosses, r.epochLosses());
      assertEquals(12, r.steps());
      assertArrayEquals("resumed weights equal the uninterrupted run's in every bit", expected, weights(model));
    }
  }

  @Test
  public void aDamagedCheckpointIsIgnoredAndTrainingStartsOver() throws IOException {
    byte[] expected = uninterrupted(new ArrayList<>());
    EpochCheckpoints epochs = new EpochCheckpoints(tmp.getRoot().toPath().resolve("epochs"));
    try (ClipModel model = model()) {
      ClipTrainer trainer = new ClipTrainer(model, OPTIONS).checkpointEpochs(epochs).addListener(crashAfter(0));
      assertThrows(IllegalStateException.class, () -> trainer.fit(DATA, Objectives.clip()));
    }
    Path weightsFile = epochs.dir().resolve("epoch-1").resolve("arrays.safetensors");
    byte[] bytes = Files.readAllBytes(weightsFile);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weightsFile, bytes);

    List<Integer> epochsRun = new ArrayList<>();
    try (ClipModel model = model()) {
      new ClipTrainer(model, OPTIONS).checkpointEpochs(epochs).addListener(new TrainingListener() {
        @Override
        public void onEpochEnd(int epoch, float meanLoss, double seconds) {
          epochsRun.add(epoch);
        }
      }).fit(DATA, Objectives.clip());
      assertEquals(List.of(0, 1, 2, 3), epochsRun);
      assertArrayEquals(expected, weights(model));
    }
  }

  @Test
  public void aHalfWrittenEpochIsNeverTakenForAFinishedOne() throws IOException {
    EpochCheckpoints epochs = new EpochCheckpoints(tmp.getRoot().toPath().resolve("epochs"));
    try (ClipModel model = model()) {
      ClipTrainer trainer = new ClipTrainer(model, OPTIONS).checkpointEpochs(epochs).addListener(crashAfter(0));
      assertThrows(IllegalStateException.class, () -> trainer.fit(DATA, Objectives.clip()));
    }
    // a kill between the files and the state file leaves a folder without state.json
    Path half = epochs.dir().resolve("epoch-3");
    Files.createDirectories(half);
    Files.copy(epochs.dir().resolve("epoch-1").resolve("arrays.safetensors"), half.resolve("arrays.safetensors"));
    assertEquals(1, epochs.latest("60 pairs, 3 steps per epoch, 4 epochs").orElseThrow().epochs());
    assertFalse("another training's identity never resumes", epochs.latest("61 pairs, 3 steps per epoch, 4 epochs").isPresent());
    epochs.clear();
    assertTrue(Files.notExists(epochs.dir()));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
