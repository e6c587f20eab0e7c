package org.abdflow.plugins.csv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CsvReaderTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static List<CsvReader.Row> rows(String text, char delimiter) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    List<CsvReader.Row> rows = new ArrayList<>();
    try (CsvReader r = CsvReader.of(new ByteArrayInputStream(b), 0, 1, delimiter)) {
      for (CsvReader.Row row = r.next(); row != null; row = r.next()) {
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  public void quotedFieldsWithDelimitersQuotesAndLineBreaks() throws IOException {
    List<CsvReader.Row> rows = rows(
        "image,caption\r\n"
            + "a.png,\"a dog, running\"\r\n"
            + "b.png,\"she said \"\"hi\"\"\"\n"
            + "\"c.png\",\"two\nlines\"\n"
            + "d.png,\"crlf\r\ninside\"\r"
            + "e.png,\n"
            + "f.png,plain \"quote\" kept\n"
            + "\n\n"
            + "g.png,last without newline",
        ',');
    assertEquals(8, rows.size());
    assertThat(rows.get(0).fields(), contains("image", "caption"));
    assertThat(rows.get(1).fields(), contains("a.png", "a dog, running"));
    assertThat(rows.get(2).fields(), contains("b.png", "she said \"hi\""));
    assertThat(rows.get(3).fields(), contains("c.png", "two\nlines"));
    assertThat(rows.get(4).fields(), contains("d.png", "crlf\r\ninside"));
    assertThat(rows.get(5).fields(), contains("e.png", ""));
    assertThat(rows.get(6).fields(), contains("f.png", "plain \"quote\" kept"));
    assertThat(rows.get(7).fields(), contains("g.png", "last without newline"));
    long[] lines = {1, 2, 3, 4, 6, 8, 9, 12};
    for (int i = 0; i < rows.size(); i++) {
      assertEquals("line of row " + i, lines[i], rows.get(i).line());
      assertThat(rows.get(i).error(), nullValue());
    }
    assertEquals("b.png,\"she said \"\"hi\"\"\"", new String(rows.get(2).raw(), StandardCharsets.UTF_8));
    assertEquals("\"c.png\",\"two\nlines\"", new String(rows.get(3).raw(), StandardCharsets.UTF_8));
  }

  @Test
  public void emptyFieldsAndTabs() throws IOException {
    assertThat(rows("a,,b,\n", ',').get(0).fields(), contains("a", "", "b", ""));
    assertThat(rows(",\n", ',').get(0).fields(), contains("", ""));
    assertThat(rows("x\ty, z\t\"q\tr\"\n", '\t').get(0).fields(), contains("x", "y, z", "q\tr"));
    assertThat(rows("\"\"\n", ',').get(0).fields(), contains(""));
  }

  @Test
  public void malformedRowsAreMarkedAndReadingGoesOn() throws IOException {
    List<CsvReader.Row> rows = rows("a,\"b\"x,c\nd,e\nf,\"open\n", ',');
    assertEquals(3, rows.size());
    assertThat(rows.get(0).error(), containsString("unexpected character 'x' after the closing quote of field 2"));
    assertThat(rows.get(1).fields(), contains("d", "e"));
    assertThat(rows.get(1).error(), nullValue());
    assertThat(rows.get(2).error(), containsString("not closed before the end of the file"));
    assertEquals(3, rows.get(2).line());
  }

  @Test
  public void aFieldThatIsNotUtf8MarksItsRow() throws IOException {
    // "caf\xe9" is Latin-1; a lone continuation byte and a cut multi-byte character are not UTF-8 either
    byte[] b = "a.png,caf\u0000\nb.png,\u0000x\nc.png,ok \u00e9\nd.png,\u0000\n".getBytes(StandardCharsets.UTF_8);
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        bad.add(i);
      }
    }
    b[bad.get(0)] = (byte) 0xE9;
    b[bad.get(1)] = (byte) 0x80;
    b[bad.get(2)] = (byte) 0xE2;
    List<CsvReader.Row> rows = new ArrayList<>();
    try (CsvReader r = CsvReader.of(new ByteArrayInputStream(b), 0, 1, ',')) {
      for (CsvReader.Row row = r.next(); row != null; row = r.next()) {
        rows.add(row);
      }
    }
    assertEquals(4, rows.size());
    assertThat(rows.get(0).error(), containsString("field 2 is not UTF-8 text"));
    assertThat(rows.get(1).error(), containsString("field 2 is not UTF-8 text"));
    assertThat(rows.get(2).error(), nullValue());
    assertThat(rows.get(2).fields(), contains("c.png", "ok \u00e9"));
    assertThat(rows.get(3).error(), containsString("field 2 is not UTF-8 text"));
  }

  @Test
  public void utf8AndByteOrderMarkAndOffsets() throws IOException {
    Path f = tmp.newFile("x.csv").toPath();
    String text = "image,caption\n\u00e9t\u00e9.png,\"caf\u00e9, cr\u00e8me\"\nb.png,\"x\ny\"\nc.png,z\n";
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    Files.write(f, all);
    List<long[]> starts = new ArrayList<>();
    List<List<String>> fields = new ArrayList<>();
    try (CsvReader r = CsvReader.open(f, ',')) {
      assertEquals(3, r.offset());
      while (true) {
        long offset = r.offset();
        long line = r.line();
        CsvReader.Row row = r.next();
        if (row == null) {
          break;
        }
        assertEquals(offset, row.offset());
        starts.add(new long[] {offset, line});
        fields.add(row.fields());
      }
    }
    assertThat(fields.get(0), contains("image", "caption"));
    assertThat(fields.get(1), contains("\u00e9t\u00e9.png", "caf\u00e9, cr\u00e8me"));
    // reading from any record's offset gives the same records from there on
    for (int i = 0; i < starts.size(); i++) {
      try (CsvReader r = CsvReader.open(f, starts.get(i)[0], starts.get(i)[1], ',')) {
        for (int j = i; j < starts.size(); j++) {
          CsvReader.Row row = r.next();
          assertEquals(fields.get(j), row.fields());
          assertEquals(starts.get(j)[1], row.line());
        }
        assertThat(r.next(), nullValue());
      }
    }
    assertEquals(5, starts.get(3)[1]);
    // a file starting with 0xEF that is not a BOM
    Files.write(f, new byte[] {(byte) 0xEF, 'a', ',', 'b'});
    try (CsvReader r = CsvReader.open(f, ',')) {
      assertEquals(2, r.next().fields().size());
    }
  }
}
