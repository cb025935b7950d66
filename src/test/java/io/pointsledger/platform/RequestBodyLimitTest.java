package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body declared too large is refused before it is read, and the connection is closed: the
 * unread body must never be taken for the next request on the same connection.
 */
@QuarkusTest
class RequestBodyLimitTest {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @TestHTTPResource("/")
    URL root;

    @Test
    void shouldRefuseADeclaredOversizedBodyAndCloseTheConnection() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            // The body smuggles a second request; only the 413 may come back, then the end of the stream.
            String smuggled = "GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
            out.write(("POST /v1/members HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer dev-admin-key\r\nContent-Length: 10000000\r\n\r\n" + smuggled)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answer = readUntilClosed(socket.getInputStream());

            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("REQUEST_TOO_LARGE"), answer);
            assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer, then the server closed: " + answer);
        }
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
            received.write(buffer, 0, read);
        }
        return received.toString(StandardCharsets.US_ASCII);
    }
}
