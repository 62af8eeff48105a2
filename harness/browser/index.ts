// The console from code: over HTTP (ConsoleClient) and in Chromium with our token behind
// navigator.credentials (openConsoleBrowser, installWebAuthnBridge).
export { ConsoleClient } from './console-client.ts';
export type { ConsoleClientOptions, ConsoleExchange, ConsolePage, ConsoleResult, CredentialsApi, MfaDevice, MfaMethod, SignInResult } from './console-client.ts';
export type { PageAlert } from './console-html.ts';
export { openConsoleBrowser } from './open-console-browser.ts';
export { DEFAULT_CHROMIUM } from './chromium-path.ts';
export type { ConsoleBrowser, ConsoleBrowserOptions } from './open-console-browser.ts';
export { installWebAuthnBridge, BRIDGE_BINDING } from './webauthn-bridge.ts';
export type { BridgeCeremony, WebAuthnBridgeOptions } from './webauthn-bridge.ts';
