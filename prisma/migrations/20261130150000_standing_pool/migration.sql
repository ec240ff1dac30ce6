-- Standing pools (issue #12): sessions started ahead for learners who open a lab on their own;
-- the catalog's "start" claims one with a compare-and-set on "claimedAt".
CREATE TABLE "StandingSession" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "labId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" DATETIME,
    "endedAt" DATETIME
);

CREATE INDEX "StandingSession_labId_claimedAt_idx" ON "StandingSession"("labId", "claimedAt");
