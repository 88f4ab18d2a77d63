package clavis.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;

import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** What the Router reads from the JDK's exchange besides its headers: the body within its cap, the TLS client's certificates. */
final class ExchangeInput {
    private ExchangeInput() {
    }

    /** The certificate chain the TLS client presented (RFC 8705), or null for plain HTTP or no certificate. */
    static X509Certificate[] clientCertificates(HttpExchange exchange) {
        if (!(exchange instanceof HttpsExchange https)) return null;
        try {
            Certificate[] chain = https.getSSLSession().getPeerCertificates();
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                if (!(chain[i] instanceof X509Certificate c)) return null;
                x509[i] = c;
            }
            return x509;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** Reads the body, never more than {@code limit} bytes; past that the request is refused with 413. */
    static byte[] body(HttpExchange exchange, Headers headers, int limit) {
        String declared = headers.getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) throw tooLarge(limit);
            } catch (NumberFormatException e) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "malformed Content-Length");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) throw tooLarge(limit);
            return body;
        } catch (IOException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "the request body could not be read");
        }
    }

    private static OAuthException tooLarge(int limit) {
        return new OAuthException(OAuthError.INVALID_REQUEST, 413, "the request body is larger than " + limit + " bytes");
    }
}
