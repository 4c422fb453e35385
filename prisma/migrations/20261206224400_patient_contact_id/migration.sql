-- CreateIndex
CREATE INDEX "PatientContact_id_idx" ON "PatientContact"("id");
