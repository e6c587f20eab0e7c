/**
 * The pipeline spec: a Beam YAML-shaped file of named transforms, loaded safely ({@link
 * org.abdflow.engine.spec.SpecLoader}) and checked as a whole against the known plugin types
 * ({@link org.abdflow.engine.spec.SpecValidator}) before anything runs, every error naming its
 * file, line and key.
 */
package org.abdflow.engine.spec;
