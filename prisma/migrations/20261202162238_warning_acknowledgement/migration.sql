-- CreateTable
CREATE TABLE "WarningAcknowledgement" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "warningKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "profession" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarningAcknowledgement_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateIndex
CREATE INDEX "WarningAcknowledgement_patientId_warningKey_at_idx" ON "WarningAcknowledgement"("patientId", "warningKey", "at");

-- AddForeignKey
ALTER TABLE "WarningAcknowledgement" ADD CONSTRAINT "WarningAcknowledgement_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningAcknowledgement" ADD CONSTRAINT "WarningAcknowledgement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningAcknowledgement" ADD CONSTRAINT "WarningAcknowledgement_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
