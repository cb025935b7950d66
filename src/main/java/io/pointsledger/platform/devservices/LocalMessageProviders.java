package io.pointsledger.platform.devservices;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Where dev mode and tests send messages: a real SMTP server (GreenMail) and a real HTTP server
 * standing in for the SMS and push providers ({@code POST /sms}, {@code POST /push}, the API the
 * service's HTTP channels speak). Both on 127.0.0.1. The HTTP server also answers what arrived and
 * can be told to fail, so that tests in another class loader can inspect it over HTTP:
 * <ul>
 * <li>{@code GET /received?channel=sms&to=…}: the messages received for that address, oldest first;</li>
 * <li>{@code GET /mail?to=…}: the emails the SMTP server received for that address;</li>
 * <li>{@code POST /fail?to=…&times=n&status=503}: the next n requests carrying a message for that
 * address are answered with that status.</li>
 * </ul>
 * In dev mode it logs, once a second, what arrived, and keeps only the last messages.
 */
final class LocalMessageProviders {

    private static final Logger LOG = Logger.getLogger(LocalMessageProviders.class);
    /** Messages kept for inspection; older ones are dropped (a benchmark sends millions). */
    private static final int KEPT_MAX = 20_000;
    private static final int ACCEPTED = 202;
    private static final String LOOPBACK = "127.0.0.1";

    private final GreenMail smtp;
    private final HttpServer http;
    private final Deque<JsonObject> received = new ArrayDeque<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final AtomicLong httpMessages = new AtomicLong();

    private record Failure(AtomicInteger remaining, int status) {
    }

    private LocalMessageProviders(int smtpPort, int httpPort) throws IOException {
        this.smtp = new GreenMail(new ServerSetup(smtpPort, LOOPBACK, ServerSetup.PROTOCOL_SMTP));
        this.http = HttpServer.create(new InetSocketAddress(LOOPBACK, httpPort), 0);
        http.createContext("/sms", exchange -> accept(exchange, "sms"));
        http.createContext("/push", exchange -> accept(exchange, "push"));
        http.createContext("/received", this::answerReceived);
        http.createContext("/mail", this::answerMail);
        http.createContext("/fail", this::failNext);
        http.setExecutor(Executors.newFixedThreadPool(4, daemon("local-message-provider")));
    }

    /** Starts both servers on the given ports. */
    static LocalMessageProviders start(boolean dev, int smtpPort, int httpPort) {
        try {
            LocalMessageProviders providers = new LocalMessageProviders(smtpPort, httpPort);
            providers.smtp.start();
            providers.http.start();
            if (dev) {
                ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(daemon("local-message-report"));
                reporter.scheduleAtFixedRate(providers::report, 1, 1, TimeUnit.SECONDS);
            }
            return providers;
        } catch (IOException e) {
            throw new UncheckedIOException("The local SMTP and message provider servers did not start", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void accept(HttpExchange exchange, String channel) throws IOException {
        try (exchange) {
            JsonArray messages = new JsonObject(new String(read(exchange.getRequestBody()), StandardCharsets.UTF_8)).getJsonArray("messages");
            for (Object each : messages) {
                Failure failure = failures.get(((JsonObject) each).getString("to"));
                if (failure != null && failure.remaining().getAndDecrement() > 0) {
                    respond(exchange, failure.status(), "{}");
                    return;
                }
            }
            synchronized (received) {
                for (Object each : messages) {
                    received.addLast(((JsonObject) each).copy().put("channel", channel));
                    if (received.size() > KEPT_MAX) {
                        received.removeFirst();
                    }
                }
            }
            httpMessages.addAndGet(messages.size());
            respond(exchange, ACCEPTED, "{}");
        }
    }

    private void answerReceived(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange);
            JsonArray found = new JsonArray();
            synchronized (received) {
                received.stream().filter(message -> message.getString("channel").equals(query.get("channel"))
                        && message.getString("to").equals(query.get("to"))).forEach(found::add);
            }
            respond(exchange, 200, found.encode());
        }
    }

    private void answerMail(HttpExchange exchange) throws IOException {
        try (exchange) {
            String to = query(exchange).get("to");
            JsonArray found = new JsonArray();
            for (MimeMessage mail : smtp.getReceivedMessages()) {
                if (sentTo(mail, to)) {
                    found.add(describe(mail));
                }
            }
            respond(exchange, 200, found.encode());
        } catch (MessagingException e) {
            throw new IOException(e);
        }
    }

    private void failNext(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange);
            failures.put(query.get("to"), new Failure(new AtomicInteger(Integer.parseInt(query.get("times"))),
                    Integer.parseInt(query.getOrDefault("status", "503"))));
            respond(exchange, 204, null);
        }
    }

    private static boolean sentTo(MimeMessage mail, String to) throws MessagingException {
        var recipients = mail.getRecipients(Message.RecipientType.TO);
        if (recipients == null) {
            return false;
        }
        for (var recipient : recipients) {
            if (recipient.toString().equalsIgnoreCase(to)) {
                return true;
            }
        }
        return false;
    }

    private static JsonObject describe(MimeMessage mail) throws MessagingException, IOException {
        JsonObject described = new JsonObject().put("subject", mail.getSubject())
                .put("messageId", mail.getHeader("X-Points-Ledger-Message-Id", null))
                .put("from", mail.getFrom()[0].toString())
                .put("listUnsubscribe", mail.getHeader("List-Unsubscribe", null))
                .put("listUnsubscribePost", mail.getHeader("List-Unsubscribe-Post", null));
        Object content = mail.getContent();
        if (content instanceof Multipart multipart) {
            addParts(multipart, described);
        } else {
            described.put("text", GreenMailUtil.getBody(mail));
        }
        return described;
    }

    private static void addParts(Multipart multipart, JsonObject described) throws MessagingException, IOException {
        for (int index = 0; index < multipart.getCount(); index++) {
            BodyPart part = multipart.getBodyPart(index);
            if (part.getContent() instanceof Multipart nested) {
                addParts(nested, described);
            } else if (part.isMimeType("text/plain")) {
                described.put("text", part.getContent().toString());
            } else if (part.isMimeType("text/html")) {
                described.put("html", part.getContent().toString());
            }
        }
    }

    /** Dev mode: what arrived in the last second, and the last email's subject; then the emails are dropped. */
    private void report() {
        try {
            MimeMessage[] arrived = smtp.getReceivedMessages();
            long httpCount = httpMessages.getAndSet(0);
            if (arrived.length > 0) {
                MimeMessage last = arrived[arrived.length - 1];
                LOG.infof("Local SMTP server received %d emails; the last to %s: \"%s\"", arrived.length,
                        last.getRecipients(Message.RecipientType.TO)[0], last.getSubject());
                smtp.purgeEmailFromAllMailboxes();
            }
            if (httpCount > 0) {
                JsonObject last;
                synchronized (received) {
                    last = received.peekLast();
                }
                LOG.infof("Local SMS/push provider received %d messages; the last, %s to %s: \"%s\"", httpCount,
                        last.getString("channel"), last.getString("to"), last.getString("text"));
            }
        } catch (MessagingException | com.icegreen.greenmail.store.FolderException | RuntimeException e) {
            LOG.debugf("Local message report failed: %s", e);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static byte[] read(InputStream body) throws IOException {
        return body.readAllBytes();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
