package io.github.serverlesspg.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the PostgreSQL protocol a client sends, chunk by chunk as the proxy forwards it, and counts its round trips
 * after startup: the messages the client then waits for, a Sync {@code 'S'} or a Query {@code 'Q'}, except the
 * {@code BEGIN} pgjdbc sends as a Query ahead of a transaction's first statement without waiting for its answer.
 *
 * <p>The first message has no type byte (startup, SSL or GSSAPI encryption request, cancel request); every later one
 * is a type byte and a length. After an encryption request answered with a switch to TLS (the next byte is a TLS
 * record, 0x16), or a cancel request, nothing more is counted. Authentication's messages ({@code 'p'}) answer the
 * server's challenges and are not counted either.
 */
final class FrontendMessages {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final byte TLS_HANDSHAKE = 0x16;
  /** pgjdbc's own BEGIN texts, which it pipelines in front of a statement (with their terminating zero byte). */
  private static final byte[] BEGIN = "BEGIN\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BEGIN_READ_ONLY = "BEGIN READ ONLY\0".getBytes(StandardCharsets.US_ASCII);

  private final AtomicLong roundTrips;
  /** Whether the next message is one without a type byte (before and right after an encryption request). */
  private boolean untyped = true;
  /** Whether the previous message was an encryption request, so TLS may follow. */
  private boolean encryptionRequested;
  private boolean opaque;
  /** The header being read: a type byte and a length, or (untyped) a length and a code. */
  private final byte[] header = new byte[8];
  private int headerRead;
  /** Bytes of the current message's body still to skip. */
  private long skip;
  /** The type of the typed message being read. */
  private char type;
  /** The body of a short Query, to tell pgjdbc's pipelined BEGIN. */
  private final byte[] query = new byte[BEGIN_READ_ONLY.length];
  private int queryRead;

  FrontendMessages(AtomicLong roundTrips) {
    this.roundTrips = roundTrips;
  }

  void read(byte[] bytes, int length) {
    int i = 0;
    while (i < length && !opaque) {
      if (skip > 0) {
        int n = (int) Math.min(skip, length - i);
        if (type == 'Q') {
          for (int k = 0; k < n && queryRead < query.length; k++) {
            query[queryRead++] = bytes[i + k];
          }
        }
        skip -= n;
        i += n;
        if (skip == 0) {
          ended();
        }
        continue;
      }
      if (headerRead == 0 && encryptionRequested && bytes[i] == TLS_HANDSHAKE) {
        opaque = true;
        return;
      }
      header[headerRead++] = bytes[i++];
      if (untyped && headerRead == 8) {
        int size = intAt(0);
        int code = intAt(4);
        headerRead = 0;
        encryptionRequested = code == SSL_REQUEST || code == GSSENC_REQUEST;
        opaque = code == CANCEL_REQUEST;
        untyped = encryptionRequested;
        skip = Math.max(0, size - 8);
        type = 0;
      } else if (!untyped && headerRead == 5) {
        encryptionRequested = false;
        type = (char) header[0];
        queryRead = 0;
        skip = Math.max(0, intAt(1) - 4);
        headerRead = 0;
        if (skip == 0) {
          ended();
        }
      }
    }
  }

  /** The typed message just read completely. */
  private void ended() {
    boolean pipelinedBegin = type == 'Q' && (isQuery(BEGIN) || isQuery(BEGIN_READ_ONLY));
    if ((type == 'S' || type == 'Q') && !pipelinedBegin) {
      roundTrips.incrementAndGet();
    }
    type = 0;
  }

  private boolean isQuery(byte[] text) {
    if (queryRead != text.length) {
      return false;
    }
    for (int k = 0; k < text.length; k++) {
      if (query[k] != text[k]) {
        return false;
      }
    }
    return true;
  }

  private int intAt(int at) {
    return ((header[at] & 0xff) << 24) | ((header[at + 1] & 0xff) << 16) | ((header[at + 2] & 0xff) << 8)
        | (header[at + 3] & 0xff);
  }
}
