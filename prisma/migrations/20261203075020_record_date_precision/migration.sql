-- AlterTable
ALTER TABLE "Allergy" ADD COLUMN     "occurredPrecision" TEXT;

-- AlterTable
ALTER TABLE "Condition" ADD COLUMN     "occurredPrecision" TEXT;
