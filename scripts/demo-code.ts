// Prints the current second-factor code of the demo accounts (they share one demo secret), for a
// newcomer without an authenticator app: npm run demo:code
import { DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";
import { TOTP_PERIOD, totpCode } from "../lib/auth/totp";

const at = new Date();
const left = TOTP_PERIOD - (Math.floor(at.getTime() / 1000) % TOTP_PERIOD);
console.log(`${totpCode(DEMO_TOTP_SECRET, at)}  (valid for ${left} more seconds; each code works once per account)`);
