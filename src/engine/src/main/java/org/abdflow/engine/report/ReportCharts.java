package org.abdflow.engine.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's pictures, drawn off-screen (Java2D, no display): PNG files written whole or not at
 * all, and the same charts as inline SVG for {@code report.html}.
 */
public final class ReportCharts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ReportCharts() {}

  /** Grouped bars of CA and ASR (in %) per model, one group per (model, attack) row of the Table I view. */
  public static void caAsrBars(List<TableOne.Column> columns, String title, Path png) throws IOException {
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    Dimension size = caAsrSize(columns);
    ChartUtils.saveChartAsPNG(tmp.toFile(), caAsrChart(columns, title), size.width, size.height);
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The size the CA/ASR bars are drawn at: wider with more groups, taller with longer (slanted) labels. */
  static Dimension caAsrSize(List<TableOne.Column> columns) {
    int longest = columns.stream().mapToInt(c -> c.model().length() + c.attack().length() + 3).max().orElse(10);
    return new Dimension(120 + 90 * columns.size(), 420 + 6 * longest);
  }

  static JFreeChart caAsrChart(List<TableOne.Column> columns, String title) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (TableOne.Column c : columns) {
      String label = columns.stream().map(TableOne.Column::attack).distinct().count() > 1 ? c.model() + " / " + c.attack() : c.model();
      data.addValue(100 * c.cleanAccuracy(), "CA", label);
      if (c.attackSuccessRate() != null) {
        data.addValue(100 * c.attackSuccessRate(), "ASR", label);
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, "model", "%", data, PlotOrientation.VERTICAL, true, false, false);
    chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.getRangeAxis().setRange(0, 100);
    // grid labels ("model / attack") are long: slanted, and room for them, so none is cut
    plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(3.0f);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, new Color(0x3B, 0x75, 0xAF));
    bars.setSeriesPaint(1, new Color(0xC4, 0x3C, 0x39));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Loss per epoch of every training stage, one line each, epochs counted from 1. */
  static JFreeChart lossCurves(Map<String, RunReport.Training> training, String title) {
    XYSeriesCollection data = new XYSeriesCollection();
    training.forEach((stage, t) -> {
      XYSeries s = new XYSeries(stage, false, true);
      if (t.lossPerEpoch() != null) {
        for (int i = 0; i < t.lossPerEpoch().size(); i++) {
          s.add(i + 1, t.lossPerEpoch().get(i));
        }
      }
      data.addSeries(s);
    });
    JFreeChart chart = lines(title, "epoch", "training loss", data);
    ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(true);
    return chart;
  }

  /** ASR (in %) against the poison rate (in %), a line per series (an attack under a defense), points sorted by rate. */
  static JFreeChart asrVsPoisonRate(Map<String, ? extends Map<Double, Double>> series, String title) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries s = new XYSeries(name, true, false);
      points.forEach((rate, asr) -> s.add(100 * rate, 100 * asr));
      data.addSeries(s);
    });
    JFreeChart chart = lines(title, "poison rate (%)", "ASR (%)", data);
    chart.getXYPlot().getRangeAxis().setRange(0, 100);
    ((NumberAxis) chart.getXYPlot().getDomainAxis()).setAutoRangeIncludesZero(true);
    return chart;
  }

  private static JFreeChart lines(String title, String x, String y, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
    chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
    }
    plot.setRenderer(renderer);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Distinct, print-safe line colours (Tableau 10). */
  private static final Color[] PALETTE = {
      new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
      new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

  /**
   * The chart drawn as an {@code <svg>} element of {@code width} × {@code height} user units that
   * scales with its container; {@code id} names the element and prefixes its definitions, so
   * several charts can share one page.
   */
  static String svg(JFreeChart chart, int width, int height, String id) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(id + "-");
    // two decimals of a user unit are finer than any screen shows, and keep the page small
    g2.setGeomDoubleConverter(org.jfree.svg.SVGUtils.createDoubleConverter(2));
    g2.setTransformDoubleConverter(org.jfree.svg.SVGUtils.createDoubleConverter(4));
    chart.draw(g2, new Rectangle(0, 0, width, height));
    return g2.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
  }

  /** A copy of a small image scaled up by whole pixels (nearest neighbour), so a 6 px patch can be seen. */
  public static void upscale(Path source, Path png, int targetSide) throws IOException {
    BufferedImage in = ImageIO.read(source.toFile());
    if (in == null) {
      throw new IOException(source + " is not an image ImageIO can read");
    }
    int k = Math.max(1, targetSide / Math.max(in.getWidth(), in.getHeight()));
    BufferedImage out = new BufferedImage(in.getWidth() * k, in.getHeight() * k, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        out.setRGB(x, y, in.getRGB(x / k, y / k));
      }
    }
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    ImageIO.write(out, "png", tmp.toFile());
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
