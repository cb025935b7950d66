package io.pointsledger.communication;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of notifications and of every message's footer, in English; other languages in
 * {@code messages/notices_<language>.properties}. Checked when the application is built.
 */
@MessageBundle(value = "notices", locale = "en")
public interface Notices {

    @Message("Your tier is now {to}")
    String tierChangedTitle(String to);

    @Message("You moved from {from} to {to}.")
    String tierChangedBody(String from, String to);

    @Message("{points} points expire soon")
    String pointsExpiringTitle(long points);

    @Message("{points} of your points expire on {date}. Use them before then.")
    String pointsExpiringBody(long points, String date);

    @Message("A coupon for you: {name}")
    String couponIssuedTitle(String name);

    @Message("Your code is {code}.")
    String couponIssuedBody(String code);

    @Message("Your code is {code}, valid until {validUntil}.")
    String couponIssuedBodyUntil(String code, String validUntil);

    @Message("Unsubscribe")
    String unsubscribe();
}
