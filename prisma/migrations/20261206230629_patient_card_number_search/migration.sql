-- CreateIndex
CREATE INDEX "Patient_insuredNumber_idx" ON "Patient"("insuredNumber");

-- CreateIndex
CREATE INDEX "Patient_insuredSymbol_idx" ON "Patient"("insuredSymbol");
