-- AlterTable
ALTER TABLE "Facility" ADD COLUMN     "recordsWithheld" BOOLEAN NOT NULL DEFAULT false;
