-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "selfUseAt" TIMESTAMP(3),
ADD COLUMN     "selfUseReviewedAt" TIMESTAMP(3),
ADD COLUMN     "selfUseReviewedById" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "createdById" TEXT;

-- CreateIndex
CREATE INDEX "Consent_selfUseAt_idx" ON "Consent"("selfUseAt");
