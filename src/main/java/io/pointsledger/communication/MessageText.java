package io.pointsledger.communication;

/** What a message says, in the language chosen for its member. */
public record MessageText(String title, String body, String language) {
}
