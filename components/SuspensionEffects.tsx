import type { Messages } from "@/lib/i18n/messages";

type Effect = { activeUsers: number; openSessions: number; liveTokens: number; liveKeys: number };

/**
 * What suspending a facility does, as its confirmation names it before the administrator decides:
 * users logged out, their FHIR API tokens revoked for good (reinstating does not bring them back),
 * push keys refused but kept, records still shown unless withheld.
 */
export function SuspensionEffects({ effect, t }: { effect: Effect; t: Messages }) {
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-red-950" data-testid="suspension-effects">
      <li>{t.facilities.effectUsers(effect.activeUsers, effect.openSessions)}</li>
      <li>{t.facilityTokens.effect(effect.liveTokens)}</li>
      <li>{t.facilities.effectKeys(effect.liveKeys)}</li>
      <li>{t.facilities.effectRecords}</li>
    </ul>
  );
}

/** What reinstating does, and what it does not: the tokens revoked at suspension stay revoked. */
export function ReinstateNote({ t }: { t: Messages }) {
  return (
    <p className="text-sm" data-testid="reinstate-note">
      {t.facilities.reinstateNote} {t.facilityTokens.reinstateNote}
    </p>
  );
}
