-- The platform credential of a session's registry: the server's own, kept out of the learner's view.
ALTER TABLE "Session" ADD COLUMN "platformSecret" TEXT;
