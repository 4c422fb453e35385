-- AlterTable
ALTER TABLE "PatientLink" ADD COLUMN     "sentBirthDates" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sentSexes" TEXT[] DEFAULT ARRAY[]::TEXT[];
