-- CreateTable
CREATE TABLE "PatientContact" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT,
    "text" TEXT,
    "name" TEXT,
    "nameKana" TEXT,
    "phone" TEXT,
    "workPhone" TEXT,
    "address" TEXT,
    "insurerNumber" TEXT,
    "insuredRelation" TEXT,
    "validFrom" TEXT,
    "validTo" TEXT,
    "position" INTEGER NOT NULL,
    "sourceRef" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PatientContact_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateIndex
CREATE INDEX "PatientContact_patientId_facilityId_idx" ON "PatientContact"("patientId", "facilityId");

-- AddForeignKey
ALTER TABLE "PatientContact" ADD CONSTRAINT "PatientContact_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientContact" ADD CONSTRAINT "PatientContact_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
