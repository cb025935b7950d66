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

    private static final int PORT_MAX = 65_535;
    private static final Pattern TRAILING_DOTS = Pattern.compile("\\.+$");
    /** Names of this machine in /etc/hosts of common systems. */
    private static final java.util.Set<String> PRIVATE_NAMES = java.util.Set.of("localhost", "localhost.localdomain",
            "ip6-localhost", "ip6-loopback", "");
    private static final java.util.List<String> PRIVATE_SUFFIXES = java.util.List.of(".localhost", ".local", ".internal",
            ".localdomain", ".home.arpa");
    /** 64:ff9b::/96, where NAT64 maps IPv4 addresses into IPv6. */
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

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
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > PORT_MAX)) {
            throw ProblemException.invalid(FIELD, "must have a port from 1 to " + PORT_MAX);
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

    /** The URL without its query: what the audit log keeps, as a query string may carry the receiver's own token. */
    static String withoutQuery(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    static boolean isPrivate(String host) {
        // "localhost." is localhost: a name's trailing dot only says it is fully qualified.
        String name = TRAILING_DOTS.matcher(host.toLowerCase(Locale.ROOT)).replaceFirst("");
        if (PRIVATE_NAMES.contains(name) || PRIVATE_SUFFIXES.stream().anyMatch(name::endsWith)) {
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
            return isPrivateAddress(address);
        } catch (UnknownHostException notAnAddress) {
            // [::g] and the like: not an address, and no host either.
            throw ProblemException.invalid(FIELD, "names no valid host");
        }
    }

    /**
     * True for an address of this machine or a network not on the internet: loopback, private,
     * link-local (169.254.169.254, the cloud metadata service), shared (100.64/10), multicast,
     * unspecified, IPv6 unique-local (fc00::/7), and an IPv4 address inside IPv6
     * (::127.0.0.1, ::ffff:10.0.0.1, 64:ff9b::a9fe:a9fe) judged as that IPv4 address.
     */
    static boolean isPrivateAddress(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        }
        if ((bytes[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean compatible = java.util.Arrays.equals(bytes, 0, 12, new byte[12], 0, 12);
        boolean nat64 = java.util.Arrays.equals(bytes, 0, 12, NAT64_PREFIX, 0, 12);
        if (compatible || nat64) {
            try {
                return isPrivateAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return false;
    }
}
