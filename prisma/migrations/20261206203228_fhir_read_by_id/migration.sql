-- CreateIndex
CREATE INDEX "Allergy_id_idx" ON "Allergy"("id");

-- CreateIndex
CREATE INDEX "CheckupItem_id_idx" ON "CheckupItem"("id");

-- CreateIndex
CREATE INDEX "Condition_id_idx" ON "Condition"("id");

-- CreateIndex
CREATE INDEX "Document_id_idx" ON "Document"("id");

-- CreateIndex
CREATE INDEX "Encounter_id_idx" ON "Encounter"("id");

-- CreateIndex
CREATE INDEX "LabResult_id_idx" ON "LabResult"("id");

-- CreateIndex
CREATE INDEX "PrescriptionItem_id_idx" ON "PrescriptionItem"("id");

-- CreateIndex
CREATE INDEX "Procedure_id_idx" ON "Procedure"("id");
