"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type FormEvent } from "react";

const noop = () => () => {};

interface Labels {
  loginId: string;
  password: string;
  code: string;
  codeHint: string;
  submit: string;
  failed: string;
  initialPasswordExpired: string;
  userInactive: string;
  facilitySuspended: string;
  unavailable: string;
}

export function LoginForm({ labels }: { labels: Labels }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until React has hydrated, a click would submit the bare form; keep the button disabled till then.
  const ready = useSyncExternalStore(noop, () => true, () => false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const field = (k: string) => String(form.get(k) ?? "");
    const res = await signIn("credentials", { loginId: field("loginId"), password: field("password"), code: field("code"), redirect: false });
    setPending(false);
    // One message for every failure: it must not reveal whether the account exists, is locked, or
    // which factor was wrong. The exception comes only after the right password: an expired initial
    // password, which the user cannot fix without the administrator.
    if (res?.error === "INITIAL_PASSWORD_EXPIRED") return setError(labels.initialPasswordExpired);
    if (res?.error === "USER_INACTIVE") return setError(labels.userInactive);
    if (res?.error === "FACILITY_SUSPENDED") return setError(labels.facilitySuspended);
    // not the user's mistake: the server could not check the login at all
    if (res?.error === "DATABASE_UNAVAILABLE") return setError(labels.unavailable);
    if (!res || res.error) return setError(labels.failed);
    router.replace("/"); // the home page sends each user to where their work starts
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} method="post" className="space-y-4" noValidate>
      <div>
        <label htmlFor="loginId" className="block text-sm font-medium">
          {labels.loginId}
        </label>
        <input id="loginId" name="loginId" autoComplete="username" required className="mt-1 w-full rounded border border-slate-400 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {labels.password}
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-slate-400 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="code" className="block text-sm font-medium">
          {labels.code}
        </label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" aria-describedby="code-hint" className="mt-1 w-full rounded border border-slate-400 px-3 py-2 font-mono tracking-widest" />
        <p id="code-hint" className="mt-1 text-xs text-slate-700">
          {labels.codeHint}
        </p>
      </div>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending || !ready} className="w-full rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {labels.submit}
      </button>
    </form>
  );
}
