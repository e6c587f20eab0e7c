package org.abdflow.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

public class ComputeThreadsTest {
  @Test
  public void aTaskOfEveryCoreWaitsUntilTheOneBeforeItIsDone() throws Exception {
    int all = ComputeThreads.cores();
    CountDownLatch secondHasCores = new CountDownLatch(1);
    AtomicBoolean firstStillRunning = new AtomicBoolean(true);
    AtomicBoolean overlapped = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger secondThreads = new java.util.concurrent.atomic.AtomicInteger();
    try (ComputeThreads.Permit first = ComputeThreads.heavy(all)) {
      assertEquals(all, ai.djl.pytorch.jni.JniUtils.getNumThreads());
      Thread second = new Thread(() -> {
        try (ComputeThreads.Permit p = ComputeThreads.heavy(all)) {
          overlapped.set(firstStillRunning.get());
          secondThreads.set(ai.djl.pytorch.jni.JniUtils.getNumThreads());
          secondHasCores.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      second.start();
      assertFalse("the second task waits", secondHasCores.await(300, TimeUnit.MILLISECONDS));
      firstStillRunning.set(false);
    }
    assertTrue(secondHasCores.await(10, TimeUnit.SECONDS));
    assertFalse(overlapped.get());
    assertEquals("the waiting task's own thread got the count", all, secondThreads.get());
  }

  @Test
  public void oneThreadTasksShareTheCoresAndEachThreadGetsTheCountItAsksFor() throws Exception {
    ComputeThreads.use(1);
    assertEquals(1, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    // two one-thread tasks at once where there are two cores (with one, the second would wait)
    org.junit.Assume.assumeTrue(ComputeThreads.cores() >= 2);
    try (ComputeThreads.Permit a = ComputeThreads.heavy(1); ComputeThreads.Permit b = ComputeThreads.heavy(1)) {
      assertEquals(1, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    }
  }
}
