package io.pointsledger.communication;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The program's own words for an announcement made on an operator's behalf, in every language
 * notices are written in: what is announced when the operator gives no words of their own.
 */
public final class NoticeWords {

    /** The language a member whose language is not written reads. */
    public static final String DEFAULT_LANGUAGE = Notices.DEFAULT_LANGUAGE;

    private NoticeWords() {
    }

    /** An invitation to answer the survey {@code name}, naming the points an answer earns when there are any. */
    public static Map<String, AnnouncementContent> surveyInvitation(String name, long rewardPoints) {
        Map<String, AnnouncementContent> contents = new LinkedHashMap<>();
        for (String language : Notices.LANGUAGES) {
            Notices notices = Notices.in(language);
            contents.put(language, new AnnouncementContent(fit(notices.surveyInvitationTitle(name), AnnouncementContent.TITLE_LENGTH_MAX),
                    fit(notices.surveyInvitationBody(name, rewardPoints), AnnouncementContent.BODY_LENGTH_MAX)));
        }
        return contents;
    }

    /** A survey's name is up to 100 characters, an announcement's title too: the title is cut rather than refused. */
    private static String fit(String text, int lengthMax) {
        if (text.length() <= lengthMax) {
            return text;
        }
        int cut = lengthMax - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }
}
