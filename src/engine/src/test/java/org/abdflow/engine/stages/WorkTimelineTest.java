package org.abdflow.engine.stages;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class WorkTimelineTest {
  @Test
  public void overlappingAndAdjacentIntervalsCountOnceAndGapsNotAtAll() {
    WorkTimeline.reset();
    WorkTimeline.add(0, 1_000_000_000L);
    WorkTimeline.add(500_000_000L, 1_500_000_000L);       // overlaps the first
    WorkTimeline.add(3_000_000_000L, 4_000_000_000L);     // after a 1.5 s gap
    WorkTimeline.add(2_000_000_000L, 3_000_000_000L);     // touches the third from before
    WorkTimeline.add(100_000_000L, 200_000_000L);         // inside the first
    assertEquals(1.5 + 2.0, WorkTimeline.busySeconds(), 1e-9);
    WorkTimeline.add(1_400_000_000L, 2_100_000_000L);     // bridges the gap
    assertEquals(4.0, WorkTimeline.busySeconds(), 1e-9);
    WorkTimeline.reset();
    assertEquals(0.0, WorkTimeline.busySeconds(), 0.0);
  }
}
