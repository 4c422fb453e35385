-- AlterTable
ALTER TABLE "User" ADD COLUMN     "facilityAdministrator" BOOLEAN NOT NULL DEFAULT false;
