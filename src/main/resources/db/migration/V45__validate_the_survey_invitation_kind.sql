-- V44 added SURVEY_INVITATION to the message kinds NOT VALID, so as not to scan member_messages
-- under its exclusive lock; validated here, in a transaction of its own, which lets writes go on.
ALTER TABLE member_messages VALIDATE CONSTRAINT member_messages_kind_check;
