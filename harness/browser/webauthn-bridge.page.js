// Installed in every page before the page's own scripts (Playwright's addInitScript). It replaces
// navigator.credentials.create() and get() for `publicKey` requests with calls into the harness's
// binding, which runs harness/webauthn/ against the chosen token; the page's code stays plain
// WebAuthn. Binary members cross as base64url JSON (W3C WebAuthn Level 3 §5.1 toJSON shapes) and
// come back as a PublicKeyCredential-shaped object; failures come back as the DOMException a
// browser would raise. Plain JS on purpose: it is sent to the page as text.
(() => {
  'use strict';
  const BINDING = '__keyloopWebAuthn';
  if (typeof CredentialsContainer === 'undefined') return; // not a secure context: no WebAuthn at all

  const bytesOf = (source) => (source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  const toBase64url = (source) => {
    let binary = '';
    for (const byte of bytesOf(source)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const toBuffer = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  };

  const descriptorsJSON = (list) => (list ? Array.from(list, (d) => ({ type: d.type, id: toBase64url(d.id), transports: d.transports })) : undefined);
  const creationJSON = (o) => ({
    rp: o.rp,
    user: { id: toBase64url(o.user.id), name: o.user.name, displayName: o.user.displayName },
    challenge: toBase64url(o.challenge),
    pubKeyCredParams: o.pubKeyCredParams,
    timeout: o.timeout,
    excludeCredentials: descriptorsJSON(o.excludeCredentials),
    authenticatorSelection: o.authenticatorSelection,
    attestation: o.attestation,
    extensions: o.extensions,
  });
  const requestJSON = (o) => ({
    challenge: toBase64url(o.challenge),
    timeout: o.timeout,
    rpId: o.rpId,
    allowCredentials: descriptorsJSON(o.allowCredentials),
    userVerification: o.userVerification,
    extensions: o.extensions,
  });

  const credentialFrom = (json, operation) => {
    const r = json.response;
    const response = operation === 'create'
      ? {
          clientDataJSON: toBuffer(r.clientDataJSON),
          attestationObject: toBuffer(r.attestationObject),
          getTransports: () => [...(r.transports ?? [])],
          getAuthenticatorData: () => toBuffer(r.authenticatorData),
          getPublicKey: () => (r.publicKey ? toBuffer(r.publicKey) : null),
          getPublicKeyAlgorithm: () => r.publicKeyAlgorithm,
        }
      : {
          clientDataJSON: toBuffer(r.clientDataJSON),
          authenticatorData: toBuffer(r.authenticatorData),
          signature: toBuffer(r.signature),
          userHandle: r.userHandle ? toBuffer(r.userHandle) : null,
        };
    return {
      id: json.id,
      rawId: toBuffer(json.rawId),
      type: json.type,
      authenticatorAttachment: json.authenticatorAttachment ?? null,
      response,
      getClientExtensionResults: () => ({ ...json.clientExtensionResults }),
      toJSON: () => json,
    };
  };

  const aborted = () => new DOMException('The operation was aborted.', 'AbortError');

  async function viaBridge(operation, options) {
    const signal = options.signal;
    if (signal && signal.aborted) throw aborted();
    const request = { operation, options: operation === 'create' ? creationJSON(options.publicKey) : requestJSON(options.publicKey) };
    const answered = window[BINDING](request);
    const answer = signal ? await Promise.race([answered, new Promise((_, reject) => signal.addEventListener('abort', () => reject(aborted()), { once: true }))]) : await answered;
    if (!answer.ok) throw answer.name === 'TypeError' ? new TypeError(answer.message) : new DOMException(answer.message, answer.name);
    return credentialFrom(answer.credential, operation);
  }

  const original = { create: CredentialsContainer.prototype.create, get: CredentialsContainer.prototype.get };
  CredentialsContainer.prototype.create = function create(options) {
    return options && options.publicKey ? viaBridge('create', options) : original.create.call(this, options);
  };
  CredentialsContainer.prototype.get = function get(options) {
    return options && options.publicKey ? viaBridge('get', options) : original.get.call(this, options);
  };
})();
