// The JSON a page posts after navigator.credentials.create() / get() (W3C WebAuthn Level 3
// §5.1 RegistrationResponseJSON, AuthenticationResponseJSON), checked member by member before
// anything reads it: it comes from the network, so every member is untrusted until typed here.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** No member of a U2F or platform response comes near this; longer means garbage. */
const MAX_MEMBER_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** base64url as browsers write it (RFC 4648 §5, unpadded): the one text of its bytes, so no impossible length and no stray bits. */
const isBase64url = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_MEMBER_LENGTH && BASE64URL.test(value) && Buffer.from(value, 'base64url').toString('base64url') === value;

function credentialHead(body: unknown): { id: string; response: Json; body: Json } | undefined {
  if (!isObject(body) || body.type !== 'public-key' || !isObject(body.response)) return undefined;
  if (!isBase64url(body.id) || body.rawId !== body.id) return undefined;
  return { id: body.id, response: body.response, body };
}

const transportsOf = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.length <= 8 && value.every((item) => typeof item === 'string' && item.length <= 32) ? (value as string[]) : undefined;

export function parseRegistrationResponse(body: unknown): RegistrationResponseJSON | undefined {
  const head = credentialHead(body);
  if (!head) return undefined;
  const { clientDataJSON, attestationObject, transports } = head.response;
  if (!isBase64url(clientDataJSON) || !isBase64url(attestationObject)) return undefined;
  return {
    id: head.id,
    rawId: head.id,
    type: 'public-key',
    response: { clientDataJSON, attestationObject, transports: transportsOf(transports) as RegistrationResponseJSON['response']['transports'] },
    clientExtensionResults: {},
  };
}

export function parseAuthenticationResponse(body: unknown): AuthenticationResponseJSON | undefined {
  const head = credentialHead(body);
  if (!head) return undefined;
  const { clientDataJSON, authenticatorData, signature, userHandle } = head.response;
  if (!isBase64url(clientDataJSON) || !isBase64url(authenticatorData) || !isBase64url(signature)) return undefined;
  if (userHandle !== undefined && userHandle !== null && !isBase64url(userHandle)) return undefined;
  return {
    id: head.id,
    rawId: head.id,
    type: 'public-key',
    response: { clientDataJSON, authenticatorData, signature, userHandle: typeof userHandle === 'string' ? userHandle : undefined },
    clientExtensionResults: {},
  };
}
