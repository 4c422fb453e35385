-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "FacilityKind" AS ENUM ('HOSPITAL', 'CLINIC', 'PHARMACY');

-- CreateEnum
CREATE TYPE "FacilityStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "Profession" AS ENUM ('DOCTOR', 'DENTIST', 'PHARMACIST', 'NURSE', 'EMERGENCY', 'CLERK', 'ADMIN');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('MALE', 'FEMALE', 'OTHER', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ConsentScope" AS ENUM ('FULL', 'EMERGENCY');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('ACTIVE', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "Sensitivity" AS ENUM ('NORMAL', 'PSYCHIATRIC', 'INFECTIOUS', 'GENETIC', 'REPRODUCTIVE');

-- CreateEnum
CREATE TYPE "EncounterClass" AS ENUM ('OUTPATIENT', 'INPATIENT', 'EMERGENCY', 'HOME');

-- CreateEnum
CREATE TYPE "PrescriptionKind" AS ENUM ('PRESCRIPTION', 'DISPENSE');

-- CreateEnum
CREATE TYPE "PrescriptionStatus" AS ENUM ('ACTIVE', 'STOPPED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "AllergyKind" AS ENUM ('DRUG', 'FOOD', 'ENVIRONMENT', 'CONTRAINDICATION');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('MILD', 'MODERATE', 'SEVERE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ProcedureKind" AS ENUM ('SURGERY', 'ANESTHESIA', 'TRANSFUSION', 'DIALYSIS', 'IMPLANT', 'OTHER');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('REFERRAL', 'DISCHARGE_SUMMARY', 'CHECKUP_REPORT', 'IMAGING_REPORT', 'PATHOLOGY_REPORT');

-- CreateEnum
CREATE TYPE "BreakGlassReason" AS ENUM ('UNCONSCIOUS', 'DISASTER', 'LIFE_THREATENING', 'OTHER');

-- CreateTable
CREATE TABLE "Facility" (
    "id" TEXT NOT NULL,
    "code" VARCHAR(10) NOT NULL,
    "name" TEXT NOT NULL,
    "nameKana" TEXT,
    "kind" "FacilityKind" NOT NULL,
    "discloses" BOOLEAN NOT NULL DEFAULT true,
    "views" BOOLEAN NOT NULL DEFAULT true,
    "canBreakGlass" BOOLEAN NOT NULL DEFAULT false,
    "status" "FacilityStatus" NOT NULL DEFAULT 'ACTIVE',
    "prefecture" TEXT,
    "address" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Facility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "loginId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKana" TEXT,
    "profession" "Profession" NOT NULL,
    "licenseNumber" TEXT,
    "credentialVerifiedAt" TIMESTAMP(3),
    "credentialVerifiedById" TEXT,
    "credentialVerificationMethod" TEXT,
    "facilityId" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "totpSecret" TEXT,
    "totpLastStep" BIGINT,
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sessionsValidAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyNameKana" TEXT NOT NULL,
    "givenNameKana" TEXT NOT NULL,
    "sex" "Sex" NOT NULL,
    "birthDate" DATE NOT NULL,
    "insurerNumber" TEXT,
    "insuredSymbol" TEXT,
    "insuredNumber" TEXT,
    "postalCode" TEXT,
    "address" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PatientLink" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "localPatientId" TEXT NOT NULL,

    CONSTRAINT "PatientLink_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "scope" "ConsentScope" NOT NULL,
    "status" "ConsentStatus" NOT NULL DEFAULT 'ACTIVE',
    "method" TEXT NOT NULL,
    "identityVerification" TEXT NOT NULL,
    "withheldCategories" "Sensitivity"[] DEFAULT ARRAY[]::"Sensitivity"[],
    "expiresAt" TIMESTAMP(3),
    "capturedById" TEXT NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" TEXT,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Encounter" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "class" "EncounterClass" NOT NULL,
    "department" TEXT,
    "reason" TEXT,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Encounter_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Condition" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "codeSystem" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "icd10" TEXT,
    "suspected" BOOLEAN NOT NULL DEFAULT false,
    "major" BOOLEAN NOT NULL DEFAULT false,
    "infection" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Condition_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Prescription" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "kind" "PrescriptionKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "status" "PrescriptionStatus" NOT NULL DEFAULT 'ACTIVE',
    "stoppedAt" TIMESTAMP(3),
    "prescriberName" TEXT,
    "department" TEXT,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Prescription_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "PrescriptionItem" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "prescriptionId" TEXT NOT NULL,
    "rp" INTEGER NOT NULL DEFAULT 1,
    "codeSystem" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "yjCode" TEXT,
    "hotCode" TEXT,
    "dose" DOUBLE PRECISION,
    "doseUnit" TEXT,
    "usageCode" TEXT,
    "usageText" TEXT,
    "days" INTEGER,
    "asNeeded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "PrescriptionItem_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "LabResult" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "codeSystem" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "valueNumeric" DOUBLE PRECISION,
    "valueText" TEXT,
    "unit" TEXT,
    "refLow" DOUBLE PRECISION,
    "refHigh" DOUBLE PRECISION,
    "refText" TEXT,
    "flag" TEXT,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "LabResult_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Checkup" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "programme" TEXT NOT NULL DEFAULT '特定健診',
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Checkup_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "CheckupItem" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "checkupId" TEXT NOT NULL,
    "codeSystem" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "valueNumeric" DOUBLE PRECISION,
    "valueText" TEXT,
    "unit" TEXT,
    "refLow" DOUBLE PRECISION,
    "refHigh" DOUBLE PRECISION,
    "flag" TEXT,

    CONSTRAINT "CheckupItem_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Allergy" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "kind" "AllergyKind" NOT NULL,
    "codeSystem" TEXT,
    "code" TEXT,
    "display" TEXT NOT NULL,
    "reaction" TEXT,
    "severity" "Severity" NOT NULL DEFAULT 'UNKNOWN',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Allergy_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Procedure" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "kind" "ProcedureKind" NOT NULL,
    "codeSystem" TEXT,
    "code" TEXT,
    "display" TEXT NOT NULL,
    "note" TEXT,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Procedure_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "Document" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "title" TEXT NOT NULL,
    "authorName" TEXT,
    "recipient" TEXT,
    "body" TEXT NOT NULL,
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'NORMAL',
    "sourceRef" TEXT,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "BreakGlass" (
    "patientId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "reason" "BreakGlassReason" NOT NULL,
    "reasonText" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "reviewedAt" TIMESTAMP(3),
    "reviewedById" TEXT,
    "reviewOutcome" TEXT,
    "reviewNote" TEXT,

    CONSTRAINT "BreakGlass_pkey" PRIMARY KEY ("patientId","id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorName" TEXT,
    "actorProfession" TEXT,
    "facilityId" TEXT,
    "action" TEXT NOT NULL,
    "patientId" TEXT,
    "purpose" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Facility_code_key" ON "Facility"("code");

-- CreateIndex
CREATE UNIQUE INDEX "User_loginId_key" ON "User"("loginId");

-- CreateIndex
CREATE INDEX "User_facilityId_idx" ON "User"("facilityId");

-- CreateIndex
CREATE INDEX "Patient_familyNameKana_givenNameKana_idx" ON "Patient"("familyNameKana", "givenNameKana");

-- CreateIndex
CREATE INDEX "Patient_familyName_givenName_idx" ON "Patient"("familyName", "givenName");

-- CreateIndex
CREATE INDEX "Patient_birthDate_idx" ON "Patient"("birthDate");

-- CreateIndex
CREATE INDEX "Patient_insurerNumber_insuredNumber_idx" ON "Patient"("insurerNumber", "insuredNumber");

-- CreateIndex
CREATE INDEX "PatientLink_facilityId_localPatientId_idx" ON "PatientLink"("facilityId", "localPatientId");

-- CreateIndex
CREATE UNIQUE INDEX "PatientLink_patientId_facilityId_localPatientId_key" ON "PatientLink"("patientId", "facilityId", "localPatientId");

-- CreateIndex
CREATE INDEX "Consent_patientId_facilityId_idx" ON "Consent"("patientId", "facilityId");

-- CreateIndex
CREATE INDEX "Encounter_patientId_occurredAt_idx" ON "Encounter"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Condition_patientId_occurredAt_idx" ON "Condition"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Prescription_patientId_occurredAt_idx" ON "Prescription"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "PrescriptionItem_patientId_prescriptionId_idx" ON "PrescriptionItem"("patientId", "prescriptionId");

-- CreateIndex
CREATE INDEX "LabResult_patientId_occurredAt_idx" ON "LabResult"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "LabResult_patientId_code_occurredAt_idx" ON "LabResult"("patientId", "code", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Checkup_patientId_occurredAt_idx" ON "Checkup"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "CheckupItem_patientId_checkupId_idx" ON "CheckupItem"("patientId", "checkupId");

-- CreateIndex
CREATE INDEX "Allergy_patientId_occurredAt_idx" ON "Allergy"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Procedure_patientId_occurredAt_idx" ON "Procedure"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Document_patientId_occurredAt_idx" ON "Document"("patientId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "BreakGlass_patientId_userId_idx" ON "BreakGlass"("patientId", "userId");

-- CreateIndex
CREATE INDEX "BreakGlass_reviewedAt_startedAt_idx" ON "BreakGlass"("reviewedAt", "startedAt");

-- CreateIndex
CREATE INDEX "AuditEvent_patientId_at_idx" ON "AuditEvent"("patientId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientLink" ADD CONSTRAINT "PatientLink_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientLink" ADD CONSTRAINT "PatientLink_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_capturedById_fkey" FOREIGN KEY ("capturedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_withdrawnById_fkey" FOREIGN KEY ("withdrawnById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Condition" ADD CONSTRAINT "Condition_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Condition" ADD CONSTRAINT "Condition_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prescription" ADD CONSTRAINT "Prescription_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prescription" ADD CONSTRAINT "Prescription_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrescriptionItem" ADD CONSTRAINT "PrescriptionItem_patientId_prescriptionId_fkey" FOREIGN KEY ("patientId", "prescriptionId") REFERENCES "Prescription"("patientId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabResult" ADD CONSTRAINT "LabResult_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabResult" ADD CONSTRAINT "LabResult_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkup" ADD CONSTRAINT "Checkup_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkup" ADD CONSTRAINT "Checkup_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckupItem" ADD CONSTRAINT "CheckupItem_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckupItem" ADD CONSTRAINT "CheckupItem_patientId_checkupId_fkey" FOREIGN KEY ("patientId", "checkupId") REFERENCES "Checkup"("patientId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allergy" ADD CONSTRAINT "Allergy_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allergy" ADD CONSTRAINT "Allergy_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Procedure" ADD CONSTRAINT "Procedure_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Procedure" ADD CONSTRAINT "Procedure_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlass" ADD CONSTRAINT "BreakGlass_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlass" ADD CONSTRAINT "BreakGlass_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlass" ADD CONSTRAINT "BreakGlass_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlass" ADD CONSTRAINT "BreakGlass_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
