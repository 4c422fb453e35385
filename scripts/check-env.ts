// Validates the configuration before anything starts: one clear line, exit 1.
import { ConfigError, env } from "../lib/env";

try {
  env();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
