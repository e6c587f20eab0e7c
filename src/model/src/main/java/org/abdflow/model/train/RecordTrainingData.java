package org.abdflow.model.train;

import java.util.List;
import org.abdflow.api.Samples;
import org.abdflow.api.image.Image;
import org.abdflow.schema.Sample;

/** Gathered records as a trainer reads them: images through {@code images}, views from the records. */
public final class RecordTrainingData implements TrainingData {
  /** How a record's image looks at an epoch (a trigger redrawn per read, or the stored pixels). */
  @FunctionalInterface
  public interface Images {
    Image at(Sample record, int epoch);
  }

  private final List<Sample> records;
  private final Images images;

  /** The records with their stored images. */
  public static RecordTrainingData stored(List<Sample> records) {
    return new RecordTrainingData(records, (record, epoch) -> Samples.image(record));
  }

  public RecordTrainingData(List<Sample> records, Images images) {
    this.records = records;
    this.images = images;
  }

  @Override
  public int size() {
    return records.size();
  }

  @Override
  public Image image(int index, int epoch) {
    return images.at(records.get(index), epoch);
  }

  @Override
  public String caption(int index) {
    return records.get(index).getCaption();
  }

  @Override
  public String id(int index) {
    return records.get(index).getId();
  }

  @Override
  public Image imageView(int index, int epoch) {
    Sample s = records.get(index);
    // a poisoned record redrawn at each read has no fixed view: its augmented view is itself
    return s.getAugPixels() == null ? image(index, epoch) : Samples.view(s);
  }

  @Override
  public String captionView(int index) {
    Sample s = records.get(index);
    return s.getAugCaption() == null ? s.getCaption() : s.getAugCaption();
  }
}
