package io.pointsledger.partners;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a resource method needs. {@link ScopeAuthorization} checks it after authentication
 * and before the request body is read, so a caller without the scope learns nothing from how its
 * body would have been judged. Every resource method carries one: a method without it is refused
 * to every caller, and {@code AuthorizationMatrixTest} fails on it.
 *
 * <p>A rule that depends on the body (explicit points in an earn need {@link Scope#EARN_MANUAL}
 * as well) cannot be declared here; the resource method checks it through {@link CurrentCaller}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {

    Scope value();
}
