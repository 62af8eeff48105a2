// The python-fido2 side of python-fido2.test.ts: Yubico's Fido2Client (0.9.1) playing the browser
// for one console ceremony with our key over the Solo UDP transport. Run as
// `/usr/bin/python3 -c SCRIPT` with the request JSON on stdin: {operation: "create" | "get",
// devicePort, replyPort, origin, options} (the console's options JSON, binary members base64url);
// prints the browser's response JSON (RegistrationResponseJSON / AuthenticationResponseJSON).
// A string because uvu loads every file under test/ that its pattern matches.
export const FIDO2_CLIENT_SCRIPT = String.raw`
import json
import socket
import sys

from fido2.client import Fido2Client
from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
)


class SoloUdp(CtapHidConnection):
    """64-byte reports as datagrams to the key's port; its replies come to our fixed port."""

    def __init__(self, device_port, reply_port):
        self.key = ("127.0.0.1", device_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", reply_port))
        self.sock.settimeout(5.0)

    def write_packet(self, data):
        self.sock.sendto(bytes(data).ljust(64, b"\0"), self.key)

    def read_packet(self):
        return self.sock.recv(64)

    def close(self):
        self.sock.close()


def descriptors(items):
    return [PublicKeyCredentialDescriptor(d["type"], websafe_decode(d["id"])) for d in items or []] or None


def create(client, o):
    selection = o.get("authenticatorSelection") or {}
    options = PublicKeyCredentialCreationOptions(
        rp=PublicKeyCredentialRpEntity(o["rp"]["id"], o["rp"]["name"]),
        user=PublicKeyCredentialUserEntity(websafe_decode(o["user"]["id"]), o["user"]["name"], display_name=o["user"].get("displayName")),
        challenge=websafe_decode(o["challenge"]),
        pub_key_cred_params=[PublicKeyCredentialParameters(p["type"], p["alg"]) for p in o["pubKeyCredParams"]],
        timeout=o.get("timeout"),
        exclude_credentials=descriptors(o.get("excludeCredentials")),
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=selection.get("authenticatorAttachment"),
            require_resident_key=selection.get("requireResidentKey"),
            user_verification=selection.get("userVerification"),
        ),
        attestation=o.get("attestation"),
    )
    result = client.make_credential(options)
    credential_id = websafe_encode(result.attestation_object.auth_data.credential_data.credential_id)
    return {
        "id": credential_id,
        "rawId": credential_id,
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(result.client_data),
            # CTAP2 keys the map with integers; a browser hands the page WebAuthn's text keys.
            "attestationObject": websafe_encode(result.attestation_object.with_string_keys()),
            "transports": ["usb"],
        },
        "clientExtensionResults": {},
    }


def get(client, o):
    options = PublicKeyCredentialRequestOptions(
        challenge=websafe_decode(o["challenge"]),
        timeout=o.get("timeout"),
        rp_id=o.get("rpId"),
        allow_credentials=descriptors(o.get("allowCredentials")),
        user_verification=o.get("userVerification"),
    )
    assertion = client.get_assertion(options).get_response(0)
    credential_id = websafe_encode(assertion.credential_id)
    return {
        "id": credential_id,
        "rawId": credential_id,
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(assertion.client_data),
            "authenticatorData": websafe_encode(assertion.authenticator_data),
            "signature": websafe_encode(assertion.signature),
        },
        "clientExtensionResults": {},
    }


def main():
    request = json.load(sys.stdin)
    connection = SoloUdp(request["devicePort"], request["replyPort"])
    try:
        device = CtapHidDevice(HidDescriptor("udp:%d" % request["devicePort"], 0x1209, 0x7F1D, 64, 64), connection)
        client = Fido2Client(device, request["origin"])
        ceremony = create if request["operation"] == "create" else get
        json.dump(ceremony(client, request["options"]), sys.stdout)
    finally:
        connection.close()


main()
`;
