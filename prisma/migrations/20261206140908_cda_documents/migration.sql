-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DocumentKind" ADD VALUE 'PROGRESS_NOTE';
ALTER TYPE "DocumentKind" ADD VALUE 'CLINICAL_DOCUMENT';

-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "code" TEXT,
ADD COLUMN     "codeDisplay" TEXT,
ADD COLUMN     "codeSystem" TEXT;
