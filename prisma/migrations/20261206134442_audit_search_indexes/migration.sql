-- CreateIndex
CREATE INDEX "AuditEvent_facilityId_at_idx" ON "AuditEvent"("facilityId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");
