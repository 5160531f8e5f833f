package io.github.serverlesspg.testsupport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the PostgreSQL protocol a client sends, chunk by chunk as the proxy forwards it, and counts the messages that
 * make the server answer (Sync {@code 'S'}, Query {@code 'Q'}): the client's round trips. The first message has no
 * type byte (startup, SSL or GSSAPI encryption request, cancel request); every later one is a type byte and a length.
 * After an encryption request answered with a switch to TLS (the next byte is a TLS record, 0x16), or a cancel
 * request, nothing more is counted.
 */
final class FrontendMessages {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final byte TLS_HANDSHAKE = 0x16;

  private final AtomicLong replyRequests;
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

  FrontendMessages(AtomicLong replyRequests) {
    this.replyRequests = replyRequests;
  }

  void read(byte[] bytes, int length) {
    int i = 0;
    while (i < length && !opaque) {
      if (skip > 0) {
        int n = (int) Math.min(skip, length - i);
        skip -= n;
        i += n;
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
      } else if (!untyped && headerRead == 5) {
        encryptionRequested = false;
        char type = (char) header[0];
        if (type == 'S' || type == 'Q') {
          replyRequests.incrementAndGet();
        }
        skip = Math.max(0, intAt(1) - 4);
        headerRead = 0;
      }
    }
  }

  private int intAt(int at) {
    return ((header[at] & 0xff) << 24) | ((header[at + 1] & 0xff) << 16) | ((header[at + 2] & 0xff) << 8)
        | (header[at + 3] & 0xff);
  }
}
