-- CreateTable
CREATE TABLE "IngestDocument" (
    "facilityId" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "sourceFile" TEXT NOT NULL,
    "sourceTimestamp" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "records" JSONB NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IngestDocument_pkey" PRIMARY KEY ("facilityId","sourceKey")
);

-- CreateIndex
CREATE INDEX "IngestDocument_patientId_idx" ON "IngestDocument"("patientId");

-- AddForeignKey
ALTER TABLE "IngestDocument" ADD CONSTRAINT "IngestDocument_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
