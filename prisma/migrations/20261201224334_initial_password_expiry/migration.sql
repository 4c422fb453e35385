-- AlterTable
ALTER TABLE "User" ADD COLUMN     "initialPasswordExpiresAt" TIMESTAMP(3);

-- Accounts still waiting for their first password change get 72 hours from now, like new ones.
UPDATE "User" SET "initialPasswordExpiresAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') + INTERVAL '72 hours' WHERE "mustChangePassword";
