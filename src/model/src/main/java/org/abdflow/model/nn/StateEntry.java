package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** One named array of a {@link StateBlock}: the DJL parameter, its shape, how it starts. */
public final class StateEntry {
  private final Parameter parameter;
  private final Shape shape;
  private final Init init;
  private final boolean trainable;

  StateEntry(Parameter parameter, Shape shape, Init init, boolean trainable) {
    this.parameter = parameter;
    this.shape = shape;
    this.init = init;
    this.trainable = trainable;
  }

  public Parameter parameter() {
    return parameter;
  }

  public Shape shape() {
    return shape;
  }

  public Init init() {
    return init;
  }

  /** False for buffers (BatchNorm running statistics), which the optimiser never touches. */
  public boolean trainable() {
    return trainable;
  }

  /** The current array; fails if the model has not been initialised or loaded. */
  public NDArray array() {
    return parameter.getArray();
  }

  /**
   * Sets the array once, checking its shape. The array keeps belonging to the manager it was
   * created on, which must be the model's.
   */
  /**
   * Overwrites the values in place (0·w + a is a in every bit for finite w), so that an optimiser
   * holding this array stays valid; shapes must match.
   */
  public void copyValuesFrom(NDArray values) {
    if (!values.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          "parameter '" + parameter.getName() + "' has shape " + shape + ", got " + values.getShape());
    }
    NDArray a = array();
    a.muli(0).addi(values.toType(a.getDataType(), false));
  }

  public void assign(NDArray array) {
    if (!array.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          "parameter '" + parameter.getName() + "' has shape " + shape + ", got " + array.getShape());
    }
    parameter.setArray(array);
  }
}
