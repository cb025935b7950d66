package io.pointsledger.communication;

import io.pointsledger.platform.ApiLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An announcement to send: its words per language, to whom, and how much it matters. */
@Schema(description = "contents: the announcement per language (BCP 47: ko, en, en-GB), at most " + AnnouncementRequest.LANGUAGES_MAX
        + "; a member reads their own language, else the default language, which contents must have. audience: left out for "
        + "every member. importance: IMPORTANT goes out on a second consented channel too.", example = """
        {"contents": {"en": {"title": "Double points this weekend", "body": "Every purchase earns double points on Saturday and Sunday."},
                      "ko": {"title": "이번 주말 포인트 2배", "body": "토요일과 일요일 모든 구매에 포인트가 2배로 적립됩니다."}},
         "defaultLanguage": "en", "audience": {"tiers": ["SILVER", "GOLD"]}, "importance": "NORMAL"}""")
public record AnnouncementRequest(
        @NotEmpty @Size(max = LANGUAGES_MAX) Map<String, @NotNull @Valid AnnouncementContent> contents,
        @NotNull @Pattern(regexp = ApiLimits.LANGUAGE_PATTERN, message = "must be a BCP 47 language such as ko, en or en-GB")
        String defaultLanguage,
        @Schema(nullable = true) @Valid AnnouncementAudience audience,
        @Schema(nullable = true, description = "NORMAL when left out") MessageImportance importance) {

    public static final int LANGUAGES_MAX = 20;
}
