package org.abdflow.engine.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Path;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecLoader;
import org.junit.Test;

public class ReportBuilderTest {

  @Test
  public void aResultHasThePoisonRateOfTheAttackItsModelDescendsFrom() throws Exception {
    PipelineSpec spec = SpecLoader.parse(String.join("\n",
        "pipeline:",
        "  matrix: {rate: [0.05, 0.1]}",
        "  transforms:",
        "    - {type: Src, name: data}",
        "    - {type: Train, name: clean, input: data}",
        "    - {type: BadNet, name: 'p-${rate}', input: data, config: {target: bag, rate: '${rate}'}}",
        "    - {type: Train, name: 'victim-${rate}', input: [clean, 'p-${rate}']}",
        "    - {type: Train, name: 'ft-${rate}', input: ['victim-${rate}', data], config: {defense: ft}}",
        "    - {type: BadNet, name: counted, input: data, config: {count: 7}}",
        "    - {type: BadNet, name: plain, input: data}",
        "    - {type: Train, name: victim-counted, input: [clean, counted]}",
        "    - {type: Train, name: victim-plain, input: [clean, plain]}",
        "    - {type: Eval, name: eval, input: [clean, 'victim-${rate}', 'ft-${rate}', victim-counted, victim-plain, data]}",
        ""), Path.of("grid.yaml"));
    assertEquals(0.05, ReportBuilder.poisonRate(spec, "victim-0.05", "p-0.05"), 0);
    assertEquals("through the victim it was fine-tuned from", 0.1, ReportBuilder.poisonRate(spec, "ft-0.1", "p-0.1"), 0);
    assertNull("another branch's attack", ReportBuilder.poisonRate(spec, "ft-0.1", "p-0.05"));
    assertNull("the clean model saw no poison", ReportBuilder.poisonRate(spec, "clean", "p-0.1"));
    assertNull("an exact count is no rate", ReportBuilder.poisonRate(spec, "victim-counted", "counted"));
    assertEquals("the attacks' default rate", 0.05, ReportBuilder.poisonRate(spec, "victim-plain", "plain"), 0);
    assertNull(ReportBuilder.poisonRate(spec, "victim-0.05", null));
  }

  @Test
  public void inTheDemoEveryModelButTheCleanOneDescendsFromTheBadNetPoisoning() throws Exception {
    PipelineSpec demo = SpecLoader.load(Path.of("../../pipelines/demo.yaml"));
    for (String model : java.util.List.of("victim", "ft", "cleanclip", "roclip", "abd")) {
      assertEquals(model, 0.10, ReportBuilder.poisonRate(demo, model, "poisoned"), 0);
    }
    assertNull(ReportBuilder.poisonRate(demo, "clean", "poisoned"));
  }
}
