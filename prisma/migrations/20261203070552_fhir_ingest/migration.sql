-- AlterTable
ALTER TABLE "Allergy" ADD COLUMN     "uninformed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Condition" ADD COLUMN     "uninformed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "uninformed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "IngestDocument" ADD COLUMN     "body" JSONB,
ADD COLUMN     "digest" TEXT,
ADD COLUMN     "localPatientId" TEXT;

-- AlterTable
ALTER TABLE "LabResult" ADD COLUMN     "uninformed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "insuredBranch" TEXT;

-- AlterTable
ALTER TABLE "Prescription" ADD COLUMN     "uninformed" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HeldDocument" (
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HeldDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FacilityApiKey" (
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedBy" TEXT,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "FacilityApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportLog" (
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "counts" JSONB NOT NULL,
    "problems" JSONB NOT NULL,
    "warnings" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ImportLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HeldDocument_candidateId_receivedAt_idx" ON "HeldDocument"("candidateId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FacilityApiKey_hash_key" ON "FacilityApiKey"("hash");

-- CreateIndex
CREATE INDEX "FacilityApiKey_facilityId_idx" ON "FacilityApiKey"("facilityId");

-- CreateIndex
CREATE INDEX "ImportLog_facilityId_startedAt_idx" ON "ImportLog"("facilityId", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "ImportLog_startedAt_idx" ON "ImportLog"("startedAt" DESC);

-- CreateIndex
CREATE INDEX "IngestDocument_facilityId_localPatientId_idx" ON "IngestDocument"("facilityId", "localPatientId");

-- AddForeignKey
ALTER TABLE "FacilityApiKey" ADD CONSTRAINT "FacilityApiKey_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportLog" ADD CONSTRAINT "ImportLog_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
