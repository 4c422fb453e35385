/**
 * The demo network's shared credentials (README). Demo only: the seed refuses NODE_ENV=production.
 * Kept apart from the seed so tests can import them without the seed's dependencies.
 */
export const DEMO_PASSWORD = "Tsunagu-demo-2026";
/** The one authenticator secret of every enrolled demo account (base32): add it to any app, or `npm run demo:code`. */
export const DEMO_TOTP_SECRET = "TSUNAGUDEMOSECRETKEYFORDEMOONLYA";
/**
 * The API key of the demo's FHIR-sending hospital (fac-11, 1318814790) for POST /api/fhir. Demo
 * only, like the passwords: the seed stores only its hash, as `npm run facility:key -- issue` does.
 */
export const DEMO_FHIR_KEY = "tsk_demo0000fac11_TsunaguDemoFhirPushKeyForTheDemoNetworkOnly";
