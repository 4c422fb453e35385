-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FacilityKind" ADD VALUE 'DENTAL_CLINIC';
ALTER TYPE "FacilityKind" ADD VALUE 'CARE_FACILITY';

-- AlterTable
ALTER TABLE "Facility" ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "contactName" TEXT,
ADD COLUMN     "joinedOn" DATE,
ADD COLUMN     "suspendedAt" TIMESTAMP(3);
