package io.github.serverlesspg.cli.doctor;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The two facts pgjdbc does not expose, read off the wire without logging in: what TLS the endpoint offers (and
 * whether its certificate verifies), and which authentication method it asks for. Sends PostgreSQL's
 * {@code SSLRequest} and a startup message carrying only user and database, reads the first answer and hangs up
 * before any password is sent.
 */
final class WireProbe {
  private static final int SSL_REQUEST_CODE = 80877103;
  private static final int PROTOCOL_3_0 = 196608;

  private final InetSocketAddress address;
  private final String host;
  private final int timeoutMillis;

  WireProbe(InetSocketAddress address, String host, int timeoutMillis) {
    this.address = address;
    this.host = host;
    this.timeoutMillis = timeoutMillis;
  }

  /** What the endpoint answered to an SSLRequest, and the session it negotiated when it offered TLS. */
  record Tls(boolean offered, String protocol, String cipherSuite, String subject, String issuer, String notAfter,
      boolean verified, String verificationProblem) {
  }

  /** The authentication request of the endpoint, or the error it sent instead. */
  record Authentication(String method, String error) {
  }

  Tls tls() throws IOException {
    try (Socket plain = connect()) {
      if (!requestTls(plain)) {
        return new Tls(false, null, null, null, null, null, false, null);
      }
      SSLSocket tls = handshake(plain, trustAll());
      X509Certificate certificate = (X509Certificate) tls.getSession().getPeerCertificates()[0];
      String problem = verificationProblem();
      return new Tls(true, tls.getSession().getProtocol(), tls.getSession().getCipherSuite(),
          certificate.getSubjectX500Principal().getName(), certificate.getIssuerX500Principal().getName(),
          certificate.getNotAfter().toInstant().toString(), problem == null, problem);
    }
  }

  /**
   * Which method the endpoint asks for: over TLS when {@code useTls} and offered, as pgjdbc would (pg_hba.conf may
   * differ between {@code host} and {@code hostssl}).
   */
  Authentication authentication(String user, String database, boolean useTls) throws IOException {
    try (Socket plain = connect()) {
      Socket socket = plain;
      if (useTls && requestTls(plain)) {
        socket = handshake(plain, trustAll());
      }
      OutputStream out = socket.getOutputStream();
      out.write(startupMessage(user, database));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte type = in.readByte();
      int length = in.readInt();
      byte[] body = new byte[length - 4];
      in.readFully(body);
      if (type == 'E') {
        return new Authentication(null, errorMessage(body));
      }
      if (type != 'R') {
        return new Authentication(null,
            "unexpected message '" + (char) type + "' instead of an authentication request");
      }
      return new Authentication(method(ByteBuffer.wrap(body)), null);
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static boolean requestTls(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array());
    out.flush();
    InputStream in = socket.getInputStream();
    int answer = in.read();
    if (answer < 0) {
      throw new EOFException("the endpoint closed the connection after the SSLRequest");
    }
    return answer == 'S';
  }

  private SSLSocket handshake(Socket plain, SSLContext context) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, address.getPort(), true);
    tls.setSoTimeout(timeoutMillis);
    tls.startHandshake();
    return tls;
  }

  /**
   * Null when the certificate chain verifies against the JDK's trust store and names the host, as
   * {@code sslmode=verify-full} with the JDK's trust store would require; else why not.
   */
  private String verificationProblem() throws IOException {
    try (Socket plain = connect()) {
      if (!requestTls(plain)) {
        return "the endpoint stopped offering TLS";
      }
      SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory()
          .createSocket(plain, host, address.getPort(), true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.setSoTimeout(timeoutMillis);
      tls.startHandshake();
      tls.close();
      return null;
    } catch (javax.net.ssl.SSLException e) {
      return rootMessage(e);
    } catch (GeneralSecurityException e) {
      return "the JDK has no default TLS context: " + e.getMessage();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (message.contains("unable to find valid certification path")) {
      return "the certificate's issuer is not in the JDK trust store (self-signed or a private CA)";
    }
    return message;
  }

  private static SSLContext trustAll() throws IOException {
    TrustManager acceptAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // the probe only reads the certificate; verification is checked separately
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // the probe only reads the certificate; verification is checked separately
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {acceptAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static byte[] startupMessage(String user, String database) {
    List<byte[]> parts = new ArrayList<>();
    for (String text : new String[] {"user", user, "database", database}) {
      parts.add((text + '\0').getBytes(StandardCharsets.UTF_8));
    }
    int length = 4 + 4 + 1 + parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer message = ByteBuffer.allocate(length).putInt(length).putInt(PROTOCOL_3_0);
    parts.forEach(message::put);
    return message.put((byte) 0).array();
  }

  private static String method(ByteBuffer body) {
    int code = body.getInt();
    switch (code) {
      case 0:
        return "trust (no password asked)";
      case 2:
        return "Kerberos V5";
      case 3:
        return "cleartext password";
      case 5:
        return "MD5 password";
      case 7:
        return "GSSAPI";
      case 9:
        return "SSPI";
      case 10:
        return "SASL " + String.join(", ", strings(body));
      default:
        return "authentication code " + code;
    }
  }

  private static List<String> strings(ByteBuffer body) {
    List<String> strings = new ArrayList<>();
    int start = body.position();
    for (int i = start; i < body.limit(); i++) {
      if (body.get(i) == 0) {
        if (i == start) {
          break;
        }
        strings.add(new String(body.array(), start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return strings;
  }

  /** The severity, message and SQLSTATE of an ErrorResponse body. */
  private static String errorMessage(byte[] body) {
    String severity = "";
    String message = "";
    String code = "";
    int i = 0;
    while (i < body.length && body[i] != 0) {
      byte field = body[i++];
      int end = i;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      String value = new String(body, i, end - i, StandardCharsets.UTF_8);
      switch (field) {
        case 'S' -> severity = value;
        case 'M' -> message = value;
        case 'C' -> code = value;
        default -> {
          // other fields (detail, hint, position...) are not needed to name the problem
        }
      }
      i = end + 1;
    }
    return (severity.isEmpty() ? "" : severity + ": ") + message + (code.isEmpty() ? "" : " (SQLSTATE " + code + ")");
  }
}
