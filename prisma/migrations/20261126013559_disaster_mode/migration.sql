-- CreateTable
CREATE TABLE "DisasterMode" (
    "region" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "changedById" TEXT NOT NULL,

    CONSTRAINT "DisasterMode_pkey" PRIMARY KEY ("region")
);
