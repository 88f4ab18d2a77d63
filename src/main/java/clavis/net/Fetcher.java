package clavis.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small HTTP/1.1 GET client for the documents Clavis fetches (a client's {@code jwks_uri}): the URL and every
 * address its host resolves to are checked against an {@link AddressPolicy} once, and the connection goes to an
 * address that was checked. https verifies the certificate against the URL's host (SNI set to it); redirects are
 * not followed; the answer must be a 200 with at most {@link #MAX_BODY_BYTES} of body; and the whole fetch
 * (resolving, connecting, the TLS handshake, headers and body) ends within the deadline, however slowly the
 * server sends.
 */
public final class Fetcher {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(3);
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Resolves a host name to its addresses; {@code InetAddress::getAllByName} by default, a fixed map in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final Duration deadline;
    private final Resolver resolver;
    /** Null: the JDK's default context, loaded on the first https fetch (loading it costs start-up time). */
    private final SSLContext ssl;
    private volatile SSLSocketFactory sslSockets;

    /** A fetcher with the JDK's resolver and trust store and the default deadline. */
    public Fetcher(AddressPolicy policy) {
        this(policy, DEFAULT_DEADLINE, InetAddress::getAllByName, null);
    }

    /**
     * @param deadline how long a whole fetch may take
     * @param ssl      the trust for https, or null for the JDK's default
     */
    public Fetcher(AddressPolicy policy, Duration deadline, Resolver resolver, SSLContext ssl) {
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("the deadline must be positive");
        this.policy = policy;
        this.deadline = deadline;
        this.resolver = resolver;
        this.ssl = ssl;
    }

    public AddressPolicy policy() {
        return policy;
    }

    public Duration deadline() {
        return deadline;
    }

    /** The body of a 200 answer to {@code GET url}; a {@link FetchException} with the reason otherwise. */
    public byte[] get(String url) throws FetchException {
        Deadline d = new Deadline(System.nanoTime() + deadline.toNanos(), deadline);
        URI uri = parse(url);
        String refusal = policy.refusal(uri);
        if (refusal != null) throw FetchException.refused(refusal);
        String host = AddressPolicy.hostKey(uri.getHost()); // checked above: never null here
        boolean literal = host.startsWith("[") || AddressPolicy.literal(host) != null;
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = AddressPolicy.port(uri);
        InetAddress[] addresses = resolve(host, literal, d);
        for (InetAddress a : addresses) {
            String why = policy.refusal(uri, a);
            if (why != null) throw FetchException.refused(why); // any address: a later connection might pick it
        }
        DeadlineSocket socket = null;
        try {
            socket = connect(addresses, port, d);
            InputStream in;
            OutputStream out;
            if (uri.getScheme().equalsIgnoreCase("https")) {
                SSLSocket tls = (SSLSocket) sslSockets().createSocket(socket, bareHost, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
                if (!literal) parameters.setServerNames(List.of(new SNIHostName(bareHost)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                in = tls.getInputStream();
                out = tls.getOutputStream();
            } else {
                in = socket.getInputStream();
                out = socket.getOutputStream();
            }
            out.write(request(uri));
            out.flush();
            return new ResponseReader(new BufferedInputStream(new DeadlineInputStream(in, d, null))).body();
        } catch (FetchException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (d.passed()) throw FetchException.failed(d.expiredMessage());
            throw FetchException.failed(e);
        } finally {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing more to read from it
                }
            }
        }
    }

    private static URI parse(String url) throws FetchException {
        if (url == null) throw FetchException.refused("no URL");
        try {
            return new URI(new URI(url).toASCIIString());
        } catch (URISyntaxException e) {
            throw FetchException.refused("not a URL");
        }
    }

    private InetAddress[] resolve(String host, boolean literal, Deadline d) throws FetchException {
        InetAddress[] addresses;
        try {
            addresses = literal ? new InetAddress[] {AddressPolicy.literal(host)} : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw FetchException.failed("cannot resolve " + host);
        }
        if (addresses == null || addresses.length == 0) throw FetchException.failed("cannot resolve " + host);
        if (d.passed()) throw FetchException.failed(d.expiredMessage());
        return addresses;
    }

    /** A connection to the first of {@code addresses} that answers, each tried within what is left of the deadline. */
    private static DeadlineSocket connect(InetAddress[] addresses, int port, Deadline d) throws IOException {
        IOException last = null;
        for (InetAddress a : addresses) {
            DeadlineSocket socket = new DeadlineSocket(d);
            try {
                socket.connect(new InetSocketAddress(a, port), d.remainingMillis());
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
                if (d.passed()) break;
            }
        }
        throw last;
    }

    private SSLSocketFactory sslSockets() throws FetchException {
        SSLSocketFactory f = sslSockets;
        if (f == null) {
            try {
                f = (ssl != null ? ssl : SSLContext.getDefault()).getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw FetchException.failed(e);
            }
            sslSockets = f;
        }
        return f;
    }

    private static byte[] request(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String host = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        return ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\nUser-Agent: Clavis\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The instant a fetch must be over. */
    static final class Deadline {
        private final long endNanos;
        private final Duration length;

        Deadline(long endNanos, Duration length) {
            this.endNanos = endNanos;
            this.length = length;
        }

        boolean passed() {
            return endNanos - System.nanoTime() <= 0;
        }

        /** What is left, in whole milliseconds and at least 1; a timeout when nothing is. */
        int remainingMillis() throws SocketTimeoutException {
            long left = endNanos - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException(expiredMessage());
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
        }

        void check() throws SocketTimeoutException {
            if (passed()) throw new SocketTimeoutException(expiredMessage());
        }

        String expiredMessage() {
            return "no complete answer within " + length.toMillis() + " ms";
        }
    }

    /**
     * A plain socket whose reads all keep to the deadline, including those the TLS handshake makes: a socket layered
     * under an {@link SSLSocket} is read through its {@link #getInputStream()}.
     */
    private static final class DeadlineSocket extends Socket {
        private final Deadline deadline;

        DeadlineSocket(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new DeadlineInputStream(super.getInputStream(), deadline, this);
        }
    }

    /** Sets the socket's read timeout to what is left before every read, and fails any read that ends past the deadline. */
    private static final class DeadlineInputStream extends InputStream {
        private final InputStream in;
        private final Deadline deadline;
        private final Socket socket;

        DeadlineInputStream(InputStream in, Deadline deadline, Socket socket) {
            this.in = in;
            this.deadline = deadline;
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int left = deadline.remainingMillis();
            if (socket != null) socket.setSoTimeout(left);
            int n = in.read(b, off, len);
            deadline.check();
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
