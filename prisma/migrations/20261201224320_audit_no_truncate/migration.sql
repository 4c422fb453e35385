-- TRUNCATE fires no row trigger, so the append-only row trigger let anyone allowed to TRUNCATE empty
-- the audit trail in one statement. A statement-level trigger refuses it too (same function, TG_OP
-- says TRUNCATE). On PostgreSQL the app role also lacks the privilege (lib/db/roles.ts); this guard is
-- what remains on PGlite, which has only a superuser.
CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
