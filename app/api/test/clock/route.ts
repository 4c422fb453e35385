import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { testClockEnabled } from "@/lib/env";
import { now, setClockForTests } from "@/lib/clock";

/**
 * End-to-end tests move the server's clock here (session idle/absolute limits, TOTP steps) instead of
 * sleeping. Does not exist unless TSUNAGU_TEST_CLOCK=1 on an e2e database (lib/env).
 */
export async function GET() {
  if (!testClockEnabled()) return new NextResponse(null, { status: 404 });
  return NextResponse.json({ now: now().toISOString() });
}

const body = z.object({ advanceSeconds: z.number().int().min(0).max(7 * 86_400) });

export async function POST(req: NextRequest) {
  if (!testClockEnabled()) return new NextResponse(null, { status: 404 });
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return NextResponse.json({ error: "INVALID_INPUT" }, { status: 400 });
  setClockForTests(new Date(now().getTime() + parsed.data.advanceSeconds * 1000));
  return NextResponse.json({ now: now().toISOString() });
}
