"use client";

import { signOut } from "next-auth/react";

export function LogoutButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="whitespace-nowrap rounded border border-slate-400 px-2 py-1 text-sm text-slate-800 hover:bg-slate-100">
      {label}
    </button>
  );
}
