-- AlterTable
ALTER TABLE "Facility" ADD COLUMN     "careCategory" "Sensitivity" NOT NULL DEFAULT 'NORMAL';
