package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.abdflow.api.Attack;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.JarDigests;
import org.abdflow.engine.plugins.PluginRegistry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A worker resolves a plugin type only from the JAR the job was submitted with: an older JAR still
 * loaded in a long-lived JVM is loaded again, a JAR with another digest on disk is refused.
 */
public class PluginDigestCheckTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final Map<String, Object> CONFIG = Map.of("target", "bag");

  @Test
  public void aJarWithAnotherDigestThanTheSubmittedOneIsRefusedNamingBoth() throws Exception {
    Path jar = PluginJars.build(tmp.getRoot().toPath(), "stripe", Map.of("test.stripe.StripeAttack", SmallSpec.STRIPE_ATTACK));
    List<Path> folders = List.of(jar.getParent());
    Map<String, String> submitted = PluginRegistry.shared(folders).pluginDigests();
    assertEquals(JarDigests.sha256(jar), submitted.get("stripe"));
    assertEquals("Stripe", new ExtensionRef(folders, submitted, "Stripe", CONFIG).resolve(Attack.class).extension().type());

    String other = "0".repeat(64);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ExtensionRef(folders, Map.of("stripe", other), "Stripe", CONFIG).resolve(Attack.class));
    assertThat(e.getMessage(), allOf(containsString("stripe.jar"), containsString(submitted.get("stripe")),
        containsString("submitted with sha256 " + other)));
  }

  @Test
  public void aLongLivedWorkerRunsTheRebuiltJarOfALaterJob() throws Exception {
    Path first = PluginJars.build(tmp.newFolder("first").toPath(), "stripe", Map.of("test.stripe.StripeAttack", SmallSpec.STRIPE_ATTACK));
    List<Path> folders = List.of(first.getParent());
    PluginRegistry loaded = PluginRegistry.shared(folders);
    Map<String, String> firstJob = loaded.pluginDigests();
    assertEquals("white stripe on the left edge",
        new ExtensionRef(folders, firstJob, "Stripe", CONFIG).resolve(Attack.class).extension().description());

    String rebuiltSource = SmallSpec.STRIPE_ATTACK.replace("white stripe on the left edge", "white stripe, rebuilt");
    Path rebuilt = PluginJars.build(tmp.newFolder("second").toPath(), "stripe", Map.of("test.stripe.StripeAttack", rebuiltSource));
    Files.move(rebuilt, first, StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> secondJob = Map.of("stripe", JarDigests.sha256(first));

    Attack<?> attack = new ExtensionRef(folders, secondJob, "Stripe", CONFIG).resolve(Attack.class).extension();
    assertEquals("the second job's code, not the first's", "white stripe, rebuilt", attack.description());
    assertNotSame(loaded, PluginRegistry.shared(folders));
    assertSame("loaded once for the second job", PluginRegistry.shared(folders), PluginRegistry.shared(folders, "Stripe", secondJob));
  }

  @Test
  public void aJvmSubmittingAgainAfterARebuildRunsAndRecordsTheNewJar() throws Exception {
    Path jar = PluginJars.build(tmp.newFolder("one").toPath(), "stripe", Map.of("test.stripe.StripeAttack", SmallSpec.STRIPE_ATTACK));
    List<Path> folders = List.of(jar.getParent());
    PluginRegistry first = PluginRegistry.current(folders);
    assertSame("nothing changed: the loaded registry", first, PluginRegistry.current(folders));

    String rebuiltSource = SmallSpec.STRIPE_ATTACK.replace("white stripe on the left edge", "white stripe, rebuilt");
    Path rebuilt = PluginJars.build(tmp.newFolder("two").toPath(), "stripe", Map.of("test.stripe.StripeAttack", rebuiltSource));
    Files.move(rebuilt, jar, StandardCopyOption.REPLACE_EXISTING);
    PluginRegistry second = PluginRegistry.current(folders);
    assertNotSame(first, second);
    assertEquals("what the run records is the JAR on disk", JarDigests.sha256(jar), second.pluginDigests().get("stripe"));
    assertEquals("white stripe, rebuilt",
        new ExtensionRef(folders, second.pluginDigests(), "Stripe", CONFIG).resolve(Attack.class).extension().description());
  }
}
