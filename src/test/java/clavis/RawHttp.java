package clavis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP/1.1 over a socket, for what java.net.http.HttpClient will not send: malformed request lines,
 * oversized headers, lying Content-Length, slow senders, other source addresses.
 */
final class RawHttp {
    private RawHttp() {
    }

    record Answer(int status, String text) {
        String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    static Socket connect(int port, String localAddress) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends {@code request} (with "Connection: close" expected in it or not) and reads until the server closes. */
    static Answer exchange(int port, String localAddress, byte[] request) throws IOException {
        try (Socket s = connect(port, localAddress)) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading everything; read what it said
            }
            return read(s.getInputStream());
        }
    }

    static Answer exchange(int port, String request) throws IOException {
        return exchange(port, null, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                if (complete(text)) break;
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // whatever arrived is the answer
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
        return new Answer(status, text);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length:");
        if (cl < 0) return false;
        int eol = head.indexOf("\r\n", cl);
        int length = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
        return text.length() - end - 4 >= length;
    }
}
