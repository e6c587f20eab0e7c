package org.abdflow.api.config;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class DidYouMeanTest {
  @Test
  public void suggestsOnlyLikelyTypos() {
    assertEquals(Optional.of("run"), DidYouMean.closest("rnu", List.of("run", "validate", "plugins")));
    assertEquals(Optional.of("BadNet"), DidYouMean.closest("badnet", List.of("BadNet", "Blended")));
    assertEquals(Optional.empty(), DidYouMean.closest("Zorglub", List.of("BadNet", "Blended")));
    assertEquals("; did you mean size?", DidYouMean.suggestion("sise", List.of("target", "size")));
    assertEquals("", DidYouMean.suggestion("size", List.of("size")));
  }

  @Test
  public void aSwapOfNeighboursIsOneEdit() {
    assertEquals(1, DidYouMean.distance("rnu", "run"));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
    assertEquals(0, DidYouMean.distance("", ""));
    assertEquals(4, DidYouMean.distance("", "seed"));
  }
}
