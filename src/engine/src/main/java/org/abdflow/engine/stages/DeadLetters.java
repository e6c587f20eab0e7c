package org.abdflow.engine.stages;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import org.abdflow.schema.DeadLetter;
import org.apache.beam.sdk.values.TupleTag;

/** Building dead letters: the failed payload kept beside the error, so nothing is lost. */
public final class DeadLetters {
  /** The output tag every stage uses for its failed records. */
  public static final TupleTag<DeadLetter> TAG = new TupleTag<DeadLetter>() {};

  private DeadLetters() {}

  public static DeadLetter of(String stage, String recordId, String location, byte[] payload, Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setRecordId(recordId)
        .setLocation(location)
        .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
        .setError(message)
        .setErrorClass(error.getClass().getName())
        .build();
  }
}
