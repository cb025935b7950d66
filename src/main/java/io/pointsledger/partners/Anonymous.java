package io.pointsledger.partners;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operation anyone may call without an API key, because the request carries its own proof: a
 * token the service signed (an unsubscribe link in a message). Such an operation must verify that
 * proof before it reads or changes anything. Every other operation needs a key and declares its
 * {@link RequiresScope}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Anonymous {
}
