import type { FacilityAdminDenyReason } from "../access/facility-admin";

/** lib/access refused the administrator (audited before it is thrown). The page shows why. */
export class FacilityAdminRefusedError extends Error {
  constructor(readonly reason: FacilityAdminDenyReason) {
    super(reason);
  }
}

/** The form's fields that are wrong, each with a code the form shows next to it (lib/i18n facilities.errors). */
export class FacilityFieldsError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.keys(fields).join(", "));
  }
}

export class FacilityNotFoundError extends Error {
  constructor() {
    super("no such facility");
  }
}
