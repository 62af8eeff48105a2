// The bridge between a real browser page and our token: an exposed binding that runs
// harness/webauthn/ (the browser's role, CTAP1 underneath) against the chosen token target, and
// the init script that points the page's navigator.credentials at it. The page itself keeps
// calling plain WebAuthn, so it would work unchanged with a browser's own authenticator.
import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { WebAuthnClient, WebAuthnError, type WebAuthnClientOptions, type WebAuthnErrorReason } from '../webauthn/index.ts';

export const BRIDGE_BINDING = '__keyloopWebAuthn';

export interface BridgeCeremony {
  operation: 'create' | 'get';
  /** The calling frame's origin, as it goes into clientDataJSON. */
  origin: string;
  outcome: 'ok' | { name: string; reason: WebAuthnErrorReason | undefined };
  ms: number;
}

export interface WebAuthnBridgeOptions {
  /** Opens a U2F client on the chosen token for each ceremony (the runner's `token.u2f` fits). */
  u2f: WebAuthnClientOptions['u2f'];
  /** How long to wait for a touch; default the RP's timeout. */
  presenceTimeoutMs?: number;
  /** Hears every ceremony after it ends (read-only: for progress and recorders). */
  onCeremony?: (ceremony: BridgeCeremony) => void;
}

interface BridgeRequest {
  operation: 'create' | 'get';
  options: unknown;
}

type BridgeAnswer = { ok: true; credential: unknown } | { ok: false; name: string; message: string };

const PAGE_SCRIPT = readFileSync(new URL('./webauthn-bridge.page.js', import.meta.url), 'utf8');

const isRequest = (value: unknown): value is BridgeRequest =>
  typeof value === 'object' && value !== null && ((value as BridgeRequest).operation === 'create' || (value as BridgeRequest).operation === 'get');

/** A browser rejects malformed options with TypeError and everything else with a DOMException. */
function answerFor(error: unknown): BridgeAnswer {
  if (error instanceof WebAuthnError) return { ok: false, name: error.name, message: error.message };
  if (error instanceof TypeError) return { ok: false, name: 'TypeError', message: error.message };
  return { ok: false, name: 'NotAllowedError', message: error instanceof Error ? error.message : String(error) };
}

/** Installs the bridge in every page of `context`, present and future. */
export async function installWebAuthnBridge(context: BrowserContext, { u2f, presenceTimeoutMs, onCeremony }: WebAuthnBridgeOptions): Promise<void> {
  await context.exposeBinding(BRIDGE_BINDING, async (source, request: unknown): Promise<BridgeAnswer> => {
    if (!isRequest(request)) return { ok: false, name: 'TypeError', message: 'keyloop bridge: malformed request' };
    const started = performance.now();
    // The origin is the calling frame's, never something the page claims.
    const origin = new URL(source.frame.url()).origin;
    const client = new WebAuthnClient({ u2f, origin, presenceTimeoutMs });
    let answer: BridgeAnswer;
    let reason: WebAuthnErrorReason | undefined;
    try {
      const credential =
        request.operation === 'create'
          ? await client.create(request.options as PublicKeyCredentialCreationOptionsJSON)
          : await client.get(request.options as PublicKeyCredentialRequestOptionsJSON);
      answer = { ok: true, credential };
    } catch (error) {
      answer = answerFor(error);
      reason = error instanceof WebAuthnError ? error.reason : undefined;
    }
    onCeremony?.({ operation: request.operation, origin, outcome: answer.ok ? 'ok' : { name: answer.name, reason }, ms: performance.now() - started });
    return answer;
  });
  await context.addInitScript({ content: PAGE_SCRIPT });
}
