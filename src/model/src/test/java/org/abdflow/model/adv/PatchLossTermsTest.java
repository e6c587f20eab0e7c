package org.abdflow.model.adv;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class PatchLossTermsTest {
  @Test
  public void summaryNamesTheLossesTheNetworksMinimise() {
    PatchLossTerms t = new PatchLossTerms(1.27493651, 0.75, -34.1, 0.18, -2.0, 0.123456, -199.17573);
    assertEquals("L_D 1.2749, L_G -199.1757, L_bd 0.1235", t.summary());
  }

  @Test
  public void meanIsElementWise() {
    PatchLossTerms m = PatchLossTerms.mean(List.of(new PatchLossTerms(1, 2, 3, 4, 5, 6, 7), new PatchLossTerms(3, 4, 5, 6, 7, 8, 9)));
    assertEquals(new PatchLossTerms(2, 3, 4, 5, 6, 7, 8), m);
  }
}
