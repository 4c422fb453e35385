-- AlterTable
ALTER TABLE "PatientLink" ADD COLUMN     "vouchedBranches" JSONB NOT NULL DEFAULT '[]';
