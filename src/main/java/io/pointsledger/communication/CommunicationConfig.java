package io.pointsledger.communication;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/** Contacting members: consent, preferences, the links in every message, and how messages go out. */
@ConfigMapping(prefix = "points-ledger.communication")
public interface CommunicationConfig {

    /**
     * How long an unsubscribe link works after its message was sent. Long, because people
     * unsubscribe from old messages; bounded, so that a leaked link does not work for ever.
     */
    @WithDefault("P365D")
    Duration unsubscribeLinkLifetime();

    /** Where members reach this service: the unsubscribe links in messages start with it. */
    @WithDefault("http://localhost:8080")
    String publicBaseUrl();

    /** The sender of emails. */
    @WithDefault("Points <points@localhost>")
    String emailFrom();

    /** How long sent, failed and skipped messages stay in the delivery log, then purged. */
    @WithDefault("P90D")
    Duration retention();

    /** How often the purge of old messages runs (read by MessageRetention's schedule). */
    @WithDefault("PT1H")
    Duration purgeInterval();

    /** The SMS provider's API (HTTP). */
    Provider sms();

    /** The app push provider's API (HTTP). */
    Provider push();

    /** Email's pace. */
    Email email();

    /** The SMTP server emails go to. */
    Smtp smtp();

    /** The delivery of messages, on every channel. */
    Dispatch dispatch();

    /** How announcements are turned into messages. */
    Announcements announcements();

    interface Email {
        /** Emails handed to the SMTP server per second, across all instances. */
        @WithDefault("1000")
        @Min(1)
        int ratePerSecond();

        /** Emails in flight at once per instance: as many SMTP connections are kept. */
        @WithDefault("16")
        @Min(1)
        @Max(256)
        int concurrentMax();
    }

    interface Smtp {
        /** Unset: emails wait (PENDING) until it is set. Dev mode and tests set it to the local SMTP server. */
        Optional<String> host();

        @WithDefault("25")
        @Min(1)
        @Max(65535)
        int port();

        /** STARTTLS: DISABLED, OPTIONAL (when the server offers it) or REQUIRED. */
        @WithDefault("OPTIONAL")
        io.vertx.ext.mail.StartTLSOptions startTls();

        /** TLS from the first byte (SMTPS, usually port 465). */
        @WithDefault("false")
        boolean ssl();

        Optional<String> username();

        Optional<String> password();
    }

    interface Provider {
        /**
         * The provider's endpoint: a POST of {"messages": […]}, up to batch-size-max at a time.
         * Unset: messages on this channel wait (PENDING) until it is set. Dev mode and tests set it
         * to the local provider the embedded services start.
         */
        Optional<String> url();

        /** Sent as Authorization: Bearer … when set. */
        Optional<String> apiKey();

        /** Messages handed to the provider per second, across all instances: an SMS costs money. */
        @WithDefault("100")
        @Min(1)
        int ratePerSecond();

        /** Messages per request. */
        @WithDefault("100")
        @Min(1)
        @Max(1000)
        int batchSizeMax();

        /** Requests open at once per instance. */
        @WithDefault("8")
        @Min(1)
        @Max(256)
        int concurrentMax();
    }

    interface Dispatch {
        /** How often each instance looks for messages due on a channel it is not already sending on. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /** Messages claimed at once on a channel: what one round sends. */
        @WithDefault("500")
        @Min(1)
        int claimSize();

        /**
         * Messages claimed at once on a channel while the write path is busy (a group commit of
         * several writes left within the last second), one round a poll: the tills come first.
         */
        @WithDefault("50")
        @Min(1)
        int claimSizeWhileWritesBusy();

        /** How long a claim holds its messages; one not recorded by then is sent again. Longer than a round. */
        @WithDefault("PT2M")
        Duration claimLease();

        /** A provider (HTTP or SMTP) that has not answered in this long has failed the attempt. */
        @WithDefault("PT10S")
        Duration requestTimeout();

        /** The first wait after a failed attempt, doubled per failure up to retry-backoff-max. */
        @WithDefault("PT30S")
        Duration retryBackoffInitial();

        @WithDefault("PT1H")
        Duration retryBackoffMax();

        /** How long after it was planned a message is still tried; a failure after it is final (FAILED). */
        @WithDefault("PT24H")
        Duration retryWindow();

        /** Instances the rate limits assume while Redis cannot answer: each sends 1/n of a channel's rate. */
        @WithDefault("2")
        @Min(1)
        int rateLimitFallbackInstances();
    }

    interface Announcements {
        /** Members planned per transaction: the unit in which planning makes progress and resumes. */
        @WithDefault("1000")
        @Min(1)
        int planningBatchSize();

        /**
         * Messages an announcement may have due and not yet sent (on channels with a provider)
         * before its planning waits for the sending to catch up: planning stays this far ahead,
         * so that a million members are not planned in one burst that competes with the tills for
         * the database, only to wait in the queue.
         */
        @WithDefault("20000")
        @Min(1)
        int plannedAheadMax();

        /** How often each instance looks for announcements left unplanned (their planner stopped). */
        @WithDefault("PT10S")
        Duration planningInterval();
    }
}
