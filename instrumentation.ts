// Runs once when a Next.js server starts (however it was started). The Node-only check lives in its
// own module so the Edge bundle never sees process.exit.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit } = await import("./lib/startup");
    checkConfigurationOrExit();
    // Route handlers get no socket: the login limit needs the peer's real address (lib/http/peer-address).
    const { stampPeerAddresses } = await import("./lib/http/peer-address");
    stampPeerAddresses();
  }
}
