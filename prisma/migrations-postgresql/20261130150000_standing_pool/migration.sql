-- Standing pools (issue #12): sessions started ahead for learners who open a lab on their own;
-- the catalog's "start" claims one with a compare-and-set on "claimedAt".
CREATE TABLE "StandingSession" (
    "sessionId" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "StandingSession_pkey" PRIMARY KEY ("sessionId")
);

CREATE INDEX "StandingSession_labId_claimedAt_idx" ON "StandingSession"("labId", "claimedAt");
