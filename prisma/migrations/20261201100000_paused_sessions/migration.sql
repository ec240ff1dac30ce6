-- Pause and resume (issue #14): a paused session keeps its stopped nodes and volumes until
-- sessions.retentionDays after "pausedAt"; "resumeHash" is the sha256 of the one resume link
-- handed out (null: none). Status gains the value 'paused' (a plain string column).
ALTER TABLE "Session" ADD COLUMN "pausedAt" DATETIME;
ALTER TABLE "Session" ADD COLUMN "resumeHash" TEXT;
