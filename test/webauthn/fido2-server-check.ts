// The python-fido2 side of python-fido2.test.ts, run as `/usr/bin/python3 -c SCRIPT` with the
// input JSON on stdin. A string rather than test/webauthn/fido2_server_check.py because uvu loads
// every file its pattern matches under test/, and a .py file would break `uvu test webauthn`.
export const FIDO2_SERVER_CHECK_SCRIPT = String.raw`
# python-fido2 0.9.1's Fido2Server verifying a WebAuthn registration and assertion that keyloop's
# WebAuthn client made (server.py: register_begin / register_complete, authenticate_begin /
# authenticate_complete). Input (stdin): {rpId, trustedCertificate, registration: {challenge,
# clientDataJSON, attestationObject}, authentication: {challenge, credentialId, clientDataJSON,
# authenticatorData, signature}}, binary members base64url. Output (stdout): one JSON object.
# Deterministic: the challenges come from the input, nothing is random.
import json
import sys

from fido2 import cbor
from fido2.client import ClientData
from fido2.ctap2 import AttestationObject, AuthenticatorData
from fido2.server import AttestationVerifier, Fido2Server
from fido2.utils import websafe_decode, websafe_encode


class TrustedCertificate(AttestationVerifier):
    """Attestation must chain to the one certificate the test trusts (the token's own)."""

    def __init__(self, der):
        super().__init__()
        self.der = der

    def ca_lookup(self, attestation_result, auth_data):
        return [self.der]


def failure(error):
    return {"ok": False, "error": type(error).__name__, "message": str(error)}


def register(server, reg):
    _, state = server.register_begin(
        {"id": b"keyloop-user", "name": "alice", "displayName": "Alice"},
        challenge=websafe_decode(reg["challenge"]),
    )
    raw = websafe_decode(reg["attestationObject"])
    attestation = AttestationObject(raw)
    auth_data = server.register_complete(state, ClientData(websafe_decode(reg["clientDataJSON"])), attestation)
    credential = auth_data.credential_data
    return auth_data, {
        "ok": True,
        "fmt": attestation.fmt,
        "flags": auth_data.flags,
        "counter": auth_data.counter,
        "aaguid": credential.aaguid.hex(),
        "credentialId": websafe_encode(credential.credential_id),
        "canonicalCbor": cbor.encode(cbor.decode(raw)) == raw,
    }


def authenticate(server, credential, auth):
    state = server.authenticate_begin([credential], challenge=websafe_decode(auth["challenge"]))[1]
    auth_data = AuthenticatorData(websafe_decode(auth["authenticatorData"]))
    server.authenticate_complete(
        state,
        [credential],
        websafe_decode(auth["credentialId"]),
        ClientData(websafe_decode(auth["clientDataJSON"])),
        auth_data,
        websafe_decode(auth["signature"]),
    )
    return {"ok": True, "counter": auth_data.counter, "userPresent": auth_data.is_user_present()}


def main():
    request = json.load(sys.stdin)
    server = Fido2Server(
        {"id": request["rpId"], "name": "keyloop"},
        attestation="direct",
        verify_attestation=TrustedCertificate(websafe_decode(request["trustedCertificate"])),
    )
    result = {}
    try:
        auth_data, result["registration"] = register(server, request["registration"])
    except Exception as error:
        result["registration"] = failure(error)
        auth_data = None
    if auth_data is not None and "authentication" in request:
        try:
            result["authentication"] = authenticate(server, auth_data.credential_data, request["authentication"])
        except Exception as error:
            result["authentication"] = failure(error)
    json.dump(result, sys.stdout, sort_keys=True)


main()
`;
