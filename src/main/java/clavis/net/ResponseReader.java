package clavis.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response (RFC 9112) and gives its body when the status is 200: headers at most
 * {@link Fetcher#MAX_HEADER_BYTES}, a body framed by Content-Length, chunked transfer coding, or the end of the
 * connection, at most {@link Fetcher#MAX_BODY_BYTES}.
 */
final class ResponseReader {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-9][0-9]{2})(?: .*)?");
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]{1,8}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    /** Longest chunk-size line (with extensions) accepted; each is counted on its own, not in the header budget. */
    private static final int MAX_CHUNK_LINE_BYTES = 256;

    private final InputStream in;
    private int headerBudget = Fetcher.MAX_HEADER_BYTES;
    private int lastLineBytes;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    byte[] body() throws IOException {
        Matcher status = STATUS_LINE.matcher(headerLine());
        if (!status.matches()) throw FetchException.failed("not an HTTP/1.1 response");
        int code = Integer.parseInt(status.group(1));
        if (code != 200) throw FetchException.failed("status " + code + (code / 100 == 3 ? " (redirects are not followed)" : ""));
        long contentLength = -1;
        boolean chunked = false;
        for (String line = headerLine(); !line.isEmpty(); line = headerLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) throw FetchException.failed("a malformed header line");
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                if (!value.equalsIgnoreCase("chunked")) throw FetchException.failed("an unsupported transfer-encoding");
                chunked = true;
            } else if (name.equals("content-length")) {
                if (!DIGITS.matcher(value).matches()) throw FetchException.failed("a malformed content-length");
                long n = Long.parseLong(value);
                if (contentLength != -1 && contentLength != n) throw FetchException.failed("conflicting content-length headers");
                contentLength = n;
            }
        }
        if (chunked) return chunked(); // it overrides Content-Length (RFC 9112 section 6.3)
        if (contentLength > Fetcher.MAX_BODY_BYTES) throw tooLarge();
        if (contentLength >= 0) return exactly((int) contentLength);
        byte[] body = in.readNBytes(Fetcher.MAX_BODY_BYTES + 1); // framed by the end of the connection
        if (body.length > Fetcher.MAX_BODY_BYTES) throw tooLarge();
        return body;
    }

    /** RFC 9112 section 7.1: size lines in hex (extensions ignored), a zero-size last chunk, then trailers. */
    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = chunkLine();
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (!CHUNK_SIZE.matcher(hex).matches()) throw FetchException.failed("a malformed chunk size");
            long size = Long.parseLong(hex, 16);
            if (size == 0) break;
            if (body.size() + size > Fetcher.MAX_BODY_BYTES) throw tooLarge();
            body.write(exactly((int) size));
            if (!chunkLine().isEmpty()) throw FetchException.failed("a chunk longer than its size");
        }
        while (!headerLine().isEmpty()) {
            // trailer fields: read within the header budget and ignored
        }
        return body.toByteArray();
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) throw FetchException.failed("the connection closed before the end of the body");
        return bytes;
    }

    private static FetchException tooLarge() {
        return FetchException.failed("larger than " + Fetcher.MAX_BODY_BYTES + " bytes");
    }

    /** A header, trailer or status line, counted in the header budget. */
    private String headerLine() throws IOException {
        String line = line(headerBudget, "headers larger than " + Fetcher.MAX_HEADER_BYTES + " bytes");
        headerBudget -= lastLineBytes;
        return line;
    }

    /** A chunk-size line or the end of a chunk's data, each counted on its own. */
    private String chunkLine() throws IOException {
        return line(MAX_CHUNK_LINE_BYTES, "a chunk-size line longer than " + MAX_CHUNK_LINE_BYTES + " bytes");
    }

    /** One line without its CRLF (or bare LF), of at most {@code max} bytes with its end; {@code tooLong} otherwise. */
    private String line(int max, String tooLong) throws IOException {
        StringBuilder line = new StringBuilder();
        int n = 0;
        while (true) {
            if (n == max) throw FetchException.failed(tooLong);
            int c = in.read();
            if (c == -1) throw FetchException.failed("the connection closed before the end of the response");
            n++;
            if (c == '\n') break;
            line.append((char) c);
        }
        lastLineBytes = n;
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
        return line.toString();
    }
}
