package org.abdflow.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;

/**
 * The device a stage's model lives on, by the name a spec or the CLI gives: {@code cpu}, {@code
 * gpu} (the first GPU libtorch sees; an error without one) or {@code auto} (a GPU when there is
 * one). The bundled libtorch is the CPU build; a GPU needs DJL's CUDA native JAR
 * ({@code pytorch-native-cu*}) on the workers' class path in its place.
 */
public final class Devices {
  /** The names {@link #named} takes. */
  public static final List<String> NAMES = List.of("cpu", "gpu", "auto");

  private Devices() {}

  public static Device named(String name) {
    switch (name) {
      case "cpu":
        return Device.cpu();
      case "gpu":
        if (gpus() == 0) {
          throw new IllegalStateException("device gpu: libtorch sees no GPU here (the bundled libtorch is the CPU build; put DJL's "
              + "pytorch-native-cu* JAR on the class path, or use device auto to fall back to the CPU)");
        }
        return Device.gpu();
      case "auto":
        return gpus() > 0 ? Device.gpu() : Device.cpu();
      default:
        throw new IllegalArgumentException("unknown device " + name + " (known: " + String.join(", ", NAMES) + ")");
    }
  }

  /** Threads of libtorch's intra-op pool in this JVM (after loading the engine). */
  public static int threads() {
    Engine.getEngine("PyTorch");
    return ai.djl.pytorch.jni.JniUtils.getNumThreads();
  }

  private static int gpus() {
    return Engine.getEngine("PyTorch").getGpuCount();
  }
}
