package io.github.serverlesspg.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a PostgreSQL server presents, fetched over the wire (SSLRequest, then a handshake that trusts
 * anything) and saved as PEM: the fixture's certificate is self-signed, so it is its own CA, and a client that
 * trusts it ({@code sslrootcert}) can verify the server's host name with {@code sslmode=verify-full}.
 */
final class ServerCertificate {
  /** PostgreSQL's SSLRequest code (1234 5679). */
  private static final int SSL_REQUEST = 80877103;

  private ServerCertificate() {
  }

  static X509Certificate fetch(String host, int port) throws Exception {
    try (Socket plain = new Socket(host, port)) {
      DataOutputStream out = new DataOutputStream(plain.getOutputStream());
      out.writeInt(8);
      out.writeInt(SSL_REQUEST);
      out.flush();
      int answer = new DataInputStream(plain.getInputStream()).read();
      if (answer != 'S') {
        throw new IOException("the server at " + host + ":" + port + " refused TLS (answered " + answer + ")");
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustEverything()}, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        tls.startHandshake();
        Certificate[] chain = tls.getSession().getPeerCertificates();
        return (X509Certificate) chain[0];
      }
    }
  }

  /** Writes the server's certificate as a PEM file that pgjdbc's {@code sslrootcert} accepts. */
  static Path saveAsRootCertificate(String host, int port, Path directory) throws Exception {
    X509Certificate certificate = fetch(host, port);
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    Path file = directory.resolve("root.crt");
    Files.writeString(file, pem);
    return file;
  }

  /** Only for fetching the certificate; nothing is sent over this connection. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
