-- V36's checks, validated apart from their creation (see V30).
ALTER TABLE transfers VALIDATE CONSTRAINT transfers_kind_check;
ALTER TABLE transfers VALIDATE CONSTRAINT transfers_effect_matches_kind;
ALTER TABLE member_messages VALIDATE CONSTRAINT member_messages_kind_check;
