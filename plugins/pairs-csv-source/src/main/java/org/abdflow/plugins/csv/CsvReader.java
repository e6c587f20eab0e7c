package org.abdflow.plugins.csv;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader over bytes: fields separated by a one-byte delimiter, records ended
 * by LF, CRLF or CR, fields in double quotes may hold delimiters, line breaks and doubled quotes.
 * It works on bytes, not characters (every structural character is ASCII, and no byte of a
 * multi-byte UTF-8 character is), so it knows the byte offset of every record: a split can start
 * reading in the middle of a file. Fields are decoded as UTF-8 (a field that is not UTF-8 makes
 * its record malformed, rather than turning into replacement characters); a UTF-8 byte-order mark
 * at the start of the file is skipped. Empty lines between records are skipped.
 *
 * <p>Leniency: a quote inside an unquoted field is kept as a character. A quoted field followed
 * by anything but a delimiter or line end, or not closed before the end of the file, makes the
 * record {@linkplain Row#error() malformed}; reading goes on after it.
 */
final class CsvReader implements Closeable {
  /** Records longer than this are reported as malformed instead of held in memory. */
  static final int MAX_RECORD_BYTES = 8 << 20;

  private static final int START_FIELD = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private final InputStream in;
  private final byte delimiter;
  private long offset;
  private long line;
  private int pushed = -2;

  private CsvReader(InputStream in, long offset, long line, char delimiter) {
    if (delimiter > 127 || delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("delimiter must be one ASCII character other than a quote or line break");
    }
    this.in = in;
    this.offset = offset;
    this.line = line;
    this.delimiter = (byte) delimiter;
  }

  /** A reader at the start of {@code file} (line 1), past a byte-order mark if there is one. */
  static CsvReader open(Path file, char delimiter) throws IOException {
    CsvReader r = open(file, 0, 1, delimiter);
    try {
      if (r.peek() == 0xEF) {
        r.read();
        if (r.peek() == 0xBB) {
          r.read();
          if (r.peek() == 0xBF) {
            r.read();
            return r;
          }
        }
        r.close();
        r = open(file, 0, 1, delimiter); // not a BOM after all
      }
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** A reader at byte {@code offset} of {@code file}, which is on line {@code line}. */
  static CsvReader open(Path file, long offset, long line, char delimiter) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ch.position(offset);
      return new CsvReader(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), offset, line, delimiter);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads from a stream whose first byte is at {@code offset} on line {@code line}. */
  static CsvReader of(InputStream in, long offset, long line, char delimiter) {
    return new CsvReader(in instanceof BufferedInputStream ? in : new BufferedInputStream(in), offset, line, delimiter);
  }

  /** Byte offset of the next unread byte (the start of the next record, between records). */
  long offset() {
    return offset;
  }

  /** Line number (1-based) of the next unread byte. */
  long line() {
    return line;
  }

  private int read() throws IOException {
    int b;
    if (pushed != -2) {
      b = pushed;
      pushed = -2;
    } else {
      b = in.read();
    }
    if (b >= 0) {
      offset++;
    }
    return b;
  }

  private int peek() throws IOException {
    if (pushed == -2) {
      pushed = in.read();
    }
    return pushed;
  }

  /** Consumes a line break whose first byte {@code b} was read (CR LF counts once). */
  private void endOfLine(int b) throws IOException {
    if (b == '\r' && peek() == '\n') {
      read();
    }
    line++;
  }

  private static boolean isBreak(int b) {
    return b == '\n' || b == '\r';
  }

  /** The next record, or {@code null} at the end of the file. */
  Row next() throws IOException {
    int b = peek();
    while (isBreak(b)) {
      endOfLine(read());
      b = peek();
    }
    if (b < 0) {
      return null;
    }
    long startOffset = offset;
    long startLine = line;
    List<String> fields = new ArrayList<>();
    Bytes field = new Bytes();
    Bytes raw = new Bytes();
    String error = null;
    int state = START_FIELD;
    while (true) {
      b = read();
      if (b < 0) {
        if (state == QUOTED && error == null) {
          error = "a quoted field is not closed before the end of the file";
        }
        error = addField(fields, field, error);
        break;
      }
      boolean lineBreak = isBreak(b);
      if (lineBreak && state != QUOTED) {
        error = addField(fields, field, error);
        endOfLine(b);
        break;
      }
      if (!raw.add(b) && error == null) {
        error = "the row is longer than " + MAX_RECORD_BYTES + " bytes";
      }
      switch (state) {
        case START_FIELD:
          if (b == '"') {
            state = QUOTED;
          } else if (b == delimiter) {
            error = addField(fields, field, error);
          } else {
            field.add(b);
            state = UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (b == delimiter) {
            error = addField(fields, field, error);
            state = START_FIELD;
          } else {
            field.add(b);
          }
          break;
        case QUOTED:
          if (b == '"') {
            state = QUOTE_IN_QUOTED;
          } else {
            field.add(b);
            if (lineBreak) {
              if (b == '\r' && peek() == '\n') {
                raw.add(read());
                field.add('\n');
              }
              line++;
            }
          }
          break;
        default: // QUOTE_IN_QUOTED
          if (b == '"') {
            field.add('"');
            state = QUOTED;
          } else if (b == delimiter) {
            error = addField(fields, field, error);
            state = START_FIELD;
          } else {
            if (error == null) {
              error = "unexpected character '" + (char) b + "' after the closing quote of field " + (fields.size() + 1);
            }
            field.add(b);
            state = UNQUOTED;
          }
          break;
      }
    }
    return new Row(List.copyOf(fields), raw.bytes(), startLine, startOffset, error);
  }

  /** Ends a field: adds it and returns the record's error, which a field not in UTF-8 sets. */
  private String addField(List<String> fields, Bytes field, String error) {
    boolean utf8 = field.isUtf8();
    fields.add(field.string());
    return error == null && !utf8 ? "field " + fields.size() + " is not UTF-8 text" : error;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** One record: its fields, its raw bytes (without the line break), where it starts. */
  static final class Row {
    private final List<String> fields;
    private final byte[] raw;
    private final long line;
    private final long offset;
    private final String error;

    Row(List<String> fields, byte[] raw, long line, long offset, String error) {
      this.fields = fields;
      this.raw = raw;
      this.line = line;
      this.offset = offset;
      this.error = error;
    }

    List<String> fields() {
      return fields;
    }

    /** The record as it stands in the file (up to {@link #MAX_RECORD_BYTES}). */
    byte[] raw() {
      return raw.clone();
    }

    /** Line (1-based) on which the record starts. */
    long line() {
      return line;
    }

    long offset() {
      return offset;
    }

    /** Why the record is malformed, or {@code null}. */
    String error() {
      return error;
    }
  }

  /** A byte buffer that stops growing at {@link #MAX_RECORD_BYTES}. */
  private static final class Bytes extends ByteArrayOutputStream {
    boolean add(int b) {
      if (count >= MAX_RECORD_BYTES) {
        return false;
      }
      write(b);
      return true;
    }

    boolean isUtf8() {
      int i = 0;
      while (i < count && buf[i] >= 0) {
        i++;
      }
      if (i == count) {
        return true; // ASCII, the usual case
      }
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, 0, count));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }

    String string() {
      String s = new String(buf, 0, count, StandardCharsets.UTF_8);
      reset();
      return s;
    }

    byte[] bytes() {
      return toByteArray();
    }
  }
}
