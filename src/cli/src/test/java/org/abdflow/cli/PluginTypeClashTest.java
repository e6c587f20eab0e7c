package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Two plugin JARs (two plugin ids) that define one spec type: the run is refused before it starts, naming both. */
public class PluginTypeClashTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void twoPluginsDefiningOneTypeAreRefusedNamingBothJars() throws Exception {
    Path dir = tmp.getRoot().toPath();
    Path spec = SmallSpec.write(dir);
    PluginJars.build(dir, "stripe-copy", Map.of("test.stripe.StripeAttack", SmallSpec.STRIPE_ATTACK));
    Exception e = assertThrows(Exception.class,
        () -> Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build()));
    assertThat(e.getMessage(), allOf(containsString("Stripe"), containsString("stripe.jar"), containsString("stripe-copy.jar")));
    assertFalse("nothing ran", Files.exists(dir.resolve("out.partial")));
  }
}
