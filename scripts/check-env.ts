// Validates the configuration before migrations and the server start.
import { checkConfigurationOrExit } from "../lib/startup";

checkConfigurationOrExit();
