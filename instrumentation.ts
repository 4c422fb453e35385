// Runs once when a Next.js server starts (however it was started: `npm start`, `next start`, a service
// unit). The Node-only checks live in their own module so the Edge bundle never sees process.exit.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit, checkNoDemoAccountsOrExit, openEmbeddedDatabaseOrExit } = await import("./lib/startup");
    checkConfigurationOrExit();
    await openEmbeddedDatabaseOrExit();
    // Route handlers get no socket: the login limit needs the peer's real address (lib/http/peer-address).
    const { stampPeerAddresses } = await import("./lib/http/peer-address");
    stampPeerAddresses();
    await checkNoDemoAccountsOrExit();
  }
}
