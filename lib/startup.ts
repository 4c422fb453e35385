import { ConfigError, env } from "./env";

/** A bad configuration stops the process here with one clear line instead of failing on the first request. */
export function checkConfigurationOrExit(): void {
  try {
    env();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
