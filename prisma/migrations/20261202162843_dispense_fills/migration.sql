-- AlterTable
ALTER TABLE "Prescription" ADD COLUMN     "fillsId" TEXT;
