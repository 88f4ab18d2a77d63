package clavis.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import clavis.config.Config;

/** The server's TLS: its keystore, and whether it asks clients for certificates (RFC 8705). */
final class Tls {
    private Tls() {
    }

    static SSLContext context(Config.Tls tls) {
        try (InputStream in = Files.newInputStream(Path.of(tls.keystorePath()))) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, tls.password());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, tls.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tls.requestClientCertificates() ? new TrustManager[] {new AnyClientCertificate()} : null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the TLS keystore " + tls.keystorePath() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any client certificate during the handshake, which still proves the client holds its key. Whether the
     * certificate authenticates a client is decided per client by {@code ClientCertificates} (a CA chain for
     * tls_client_auth, a registered key for self_signed_tls_client_auth), so one handshake serves both methods.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
