-- The audit trail becomes many hash chains instead of one (lib/audit/chains.ts): every audited read
-- used to take one network-wide advisory lock through its COMMIT. The events already written stay
-- exactly as they were hashed: they become chain 0 with their position equal to their seq, which
-- is how lib/audit/hash.ts hashes chain 0, so the existing chain and its keyed checkpoints (the old
-- one-head lines of the checkpoint file) still verify. New events take seq from a sequence.
CREATE SEQUENCE auditevent_seq_seq;
ALTER TABLE "AuditEvent" ADD COLUMN "chain" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "chainSeq" BIGINT;

-- the only rewrite the append-only trigger ever lets through: the migration, as the owner
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
UPDATE "AuditEvent" SET "chainSeq" = "seq";
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";

ALTER TABLE "AuditEvent" ALTER COLUMN "chainSeq" SET NOT NULL,
ALTER COLUMN "chain" DROP DEFAULT,
ALTER COLUMN "seq" SET DEFAULT nextval('auditevent_seq_seq');
ALTER SEQUENCE auditevent_seq_seq OWNED BY "AuditEvent"."seq";
SELECT setval('auditevent_seq_seq', coalesce((SELECT max("seq") FROM "AuditEvent"), 0) + 1, false);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chain_chainSeq_key" ON "AuditEvent"("chain", "chainSeq");
