-- CreateIndex
-- The timeline finds the dispenses that fill a page's prescriptions from those prescriptions' ids.
CREATE INDEX "Prescription_patientId_fillsId_idx" ON "Prescription"("patientId", "fillsId");
