// keyloop console page script. It runs the WebAuthn ceremonies with plain
// navigator.credentials.create() / get() (W3C WebAuthn Level 2 §5.1.3, §5.1.4), so a browser's own
// authenticator, a physical key or the harness's bridge all answer it alike, and it adds small
// keyboard conveniences. Everything else on the console works without script.
'use strict';

(() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

  // base64url (RFC 4648 §5) <-> ArrayBuffer: the console's JSON carries binary members this way.
  const toBuffer = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  };
  const toBase64url = (buffer) => {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  const descriptors = (list) => (list ?? []).map((descriptor) => ({ ...descriptor, id: toBuffer(descriptor.id) }));
  const creationOptions = (json) => ({ ...json, challenge: toBuffer(json.challenge), user: { ...json.user, id: toBuffer(json.user.id) }, excludeCredentials: descriptors(json.excludeCredentials) });
  const requestOptions = (json) => ({ ...json, challenge: toBuffer(json.challenge), allowCredentials: descriptors(json.allowCredentials) });

  const common = (credential) => ({
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
  });
  const registrationJSON = (credential) => ({
    ...common(credential),
    response: {
      clientDataJSON: toBase64url(credential.response.clientDataJSON),
      attestationObject: toBase64url(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
  });
  const assertionJSON = (credential) => ({
    ...common(credential),
    response: {
      clientDataJSON: toBase64url(credential.response.clientDataJSON),
      authenticatorData: toBase64url(credential.response.authenticatorData),
      signature: toBase64url(credential.response.signature),
      userHandle: credential.response.userHandle ? toBase64url(credential.response.userHandle) : undefined,
    },
  });

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(body),
    });
    try {
      return await response.json();
    } catch {
      return { ok: false, code: 'BadResponse', message: `The console answered with HTTP ${response.status}.` };
    }
  }

  // What the browser's DOMException names mean to someone holding a key.
  const BROWSER_MESSAGES = {
    NotAllowedError: 'The security key did not answer in time, or the request was cancelled.',
    InvalidStateError: 'This security key is already registered for your user.',
    SecurityError: 'Security keys cannot be used from this address. Open the console at its configured address (for example http://localhost:4566/console).',
    NotSupportedError: 'This security key cannot make the kind of credential the console asks for.',
  };

  function ceremony(section) {
    const kind = section.dataset.webauthn;
    const start = section.querySelector('[data-start]');
    const status = section.querySelector('[data-status]');
    const progress = section.querySelector('progress.waiting');
    const errorBox = section.querySelector('.ceremony-error');
    const done = section.querySelector('.ceremony-done');
    const pendingActions = section.querySelector('[data-pending-actions]');
    let running = false;

    const setState = (state, text) => {
      section.dataset.state = state;
      status.textContent = text;
      progress.hidden = state !== 'waiting';
    };
    const showError = (code, message) => {
      const title = document.createElement('p');
      title.className = 'alert-title';
      title.textContent = kind === 'register' ? 'The security key was not registered' : 'Sign-in with the security key failed';
      const detail = document.createElement('p');
      detail.className = 'alert-message';
      detail.textContent = message;
      errorBox.replaceChildren(title, detail);
      errorBox.dataset.code = code;
      errorBox.hidden = false;
      start.textContent = 'Try again';
      setState('error', 'Press "Try again" to start over.');
    };

    async function run() {
      if (running) return;
      running = true;
      start.disabled = true;
      errorBox.hidden = true;
      try {
        setState('waiting', 'Preparing the request…');
        const begin = await postJson(section.dataset.optionsUrl, kind === 'register' ? { deviceName: section.dataset.deviceName } : {});
        if (!begin.ok) return showError(begin.code, begin.message);
        setState('waiting', kind === 'register' ? 'Waiting for your security key: plug it in and touch it.' : 'Waiting for your security key: touch it now.');
        let credential;
        try {
          credential = kind === 'register'
            ? await navigator.credentials.create({ publicKey: creationOptions(begin.options) })
            : await navigator.credentials.get({ publicKey: requestOptions(begin.options) });
        } catch (error) {
          return showError(error.name || 'Error', BROWSER_MESSAGES[error.name] ?? String(error.message ?? error));
        }
        if (!credential) return showError('NotAllowedError', BROWSER_MESSAGES.NotAllowedError);
        setState('waiting', 'Checking the response…');
        const finish = await postJson(section.dataset.verifyUrl, { credential: kind === 'register' ? registrationJSON(credential) : assertionJSON(credential) });
        if (!finish.ok) return showError(finish.code, finish.message);
        if (kind === 'register') {
          setState('done', 'Your security key is registered.');
          pendingActions.hidden = true;
          done.hidden = false;
          done.querySelector('[data-close]').focus();
        } else {
          setState('done', 'Signed in. Opening the console…');
          window.location.assign(finish.redirect);
        }
      } catch {
        showError('NetworkError', 'The console could not be reached. Try again.');
      } finally {
        running = false;
        start.disabled = false;
      }
    }

    start.addEventListener('click', run);
    if (section.hasAttribute('data-autostart')) run();
  }

  document.querySelectorAll('[data-webauthn]').forEach(ceremony);

  // The account menu is a <details>: Escape closes it and returns focus to its summary.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of document.querySelectorAll('details.account-menu[open]')) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
})();
