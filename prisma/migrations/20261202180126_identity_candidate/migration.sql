-- AlterTable
ALTER TABLE "PatientLink" ADD COLUMN     "branchNumber" TEXT,
ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "confirmedBy" TEXT,
ADD COLUMN     "provenance" TEXT;

-- CreateTable
CREATE TABLE "IdentityCandidate" (
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "localPatientId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "identity" JSONB NOT NULL,
    "suggestedPatientId" TEXT,
    "firstFile" TEXT NOT NULL,
    "heldFiles" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "patientId" TEXT,

    CONSTRAINT "IdentityCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdentityCandidate_facilityId_localPatientId_status_idx" ON "IdentityCandidate"("facilityId", "localPatientId", "status");

-- AddForeignKey
ALTER TABLE "IdentityCandidate" ADD CONSTRAINT "IdentityCandidate_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
