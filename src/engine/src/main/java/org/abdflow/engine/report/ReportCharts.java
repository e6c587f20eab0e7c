package org.abdflow.engine.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's pictures, drawn off-screen (Java2D, no display) and written whole or not at all. */
public final class ReportCharts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ReportCharts() {}

  /** Grouped bars of CA and ASR (in %) per model, one group per (model, attack) row of the Table I view. */
  public static void caAsrBars(List<TableOne.Column> columns, String title, Path png) throws IOException {
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
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    int longest = columns.stream().mapToInt(c -> c.model().length() + c.attack().length() + 3).max().orElse(10);
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 120 + 90 * columns.size(), 420 + 6 * longest);
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
