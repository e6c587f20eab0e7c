package org.abdflow.runners.dataflow;

import org.apache.beam.sdk.harness.JvmInitializer;

/**
 * Sets on a Dataflow worker what the launcher sets on the command's JVM, before any record is read:
 * there is no command line to pass {@code -D} flags on. Avro 1.12 refuses to deserialize classes of
 * packages it was not told to trust, and DJL must find libtorch in the staged native JAR, not
 * download it.
 */
public final class WorkerSettings implements JvmInitializer {
  static final String AVRO_TRUSTED = "org.apache.avro.SERIALIZABLE_PACKAGES";
  static final String AVRO_TRUSTED_PACKAGES = "java.lang,java.util,java.math,org.abdflow";

  @Override
  public void onStartup() {
    setIfAbsent(AVRO_TRUSTED, AVRO_TRUSTED_PACKAGES);
    setIfAbsent("ai.djl.offline", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
