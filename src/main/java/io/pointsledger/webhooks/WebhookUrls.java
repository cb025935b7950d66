package io.pointsledger.webhooks;

import io.pointsledger.platform.ProblemException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs a webhook may call. A webhook makes the service send requests on a partner's word,
 * so the URL is held to what a receiver needs: an absolute https URL with a host, no user name or
 * password (they would be stored and shown in lists), no fragment, and, unless configured
 * otherwise, not this machine or a private network.
 */
final class WebhookUrls {

    private static final String FIELD = "url";
    /** An IPv4 literal, or an IPv6 one between brackets: the only hosts InetAddress reads without a DNS query. */
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("^(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+(%[^\\]]+)?])$");

    /**
     * A host written as a number in another form (2130706433, 0x7f.1, 127.1): resolvers read some
     * of these as addresses, which would pass by the private-network check, so none is accepted.
     */
    private static final Pattern NUMERIC_HOST = Pattern.compile("^(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+))*\\.?$");

    private WebhookUrls() {
    }

    /** The URL as it will be called; fails with VALIDATION_FAILED on {@code url} naming the rule it breaks. */
    static URI check(String url, boolean allowPlainHttp, boolean allowPrivateHosts) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowPlainHttp)) {
            throw ProblemException.invalid(FIELD, allowPlainHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ProblemException.invalid(FIELD, "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ProblemException.invalid(FIELD, "must not hold a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw ProblemException.invalid(FIELD, "must not have a fragment");
        }
        if (!allowPrivateHosts && isPrivate(uri.getHost())) {
            throw ProblemException.invalid(FIELD, "must not name this machine or a private network");
        }
        return uri;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.isOpaque()) {
                throw ProblemException.invalid(FIELD, "must be an absolute URL");
            }
            return uri;
        } catch (URISyntaxException malformed) {
            throw ProblemException.invalid(FIELD, "is not a URL: " + malformed.getReason());
        }
    }

    static boolean isPrivate(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local") || name.endsWith(".internal")) {
            return true;
        }
        if (!ADDRESS_LITERAL.matcher(name).matches()) {
            if (NUMERIC_HOST.matcher(name).matches()) {
                throw ProblemException.invalid(FIELD, "names no valid host: write an address as four decimal numbers");
            }
            return false;
        }
        if (!name.startsWith("[") && !java.util.Arrays.stream(name.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255)) {
            // Checked here: InetAddress would take 999.1.1.1 for a name and ask the DNS.
            throw ProblemException.invalid(FIELD, "names no valid host");
        }
        try {
            // A literal (checked above): read without any DNS query.
            InetAddress address = InetAddress.getByName(name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocalIpv6(address);
        } catch (UnknownHostException notAnAddress) {
            // [::g] and the like: not an address, and no host either.
            throw ProblemException.invalid(FIELD, "names no valid host");
        }
    }

    /** fc00::/7, IPv6's private networks, which InetAddress does not count as site-local. */
    private static boolean isUniqueLocalIpv6(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
