-- DropIndex
DROP INDEX "Patient_familyNameKana_givenNameKana_idx";

-- DropIndex
DROP INDEX "Patient_familyName_givenName_idx";

-- CreateIndex
CREATE INDEX "Patient_kana_prefix_idx" ON "Patient"("familyNameKana" text_pattern_ops, "givenNameKana" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Patient_given_kana_prefix_idx" ON "Patient"("givenNameKana" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Patient_name_prefix_idx" ON "Patient"("familyName" text_pattern_ops, "givenName" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Patient_given_name_prefix_idx" ON "Patient"("givenName" text_pattern_ops);
