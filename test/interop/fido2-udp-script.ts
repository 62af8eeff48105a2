// The python-fido2 side of python-fido2.test.ts, run as `/usr/bin/python3 - DEVICE_PORT REPLY_PORT`
// with this text on stdin. Kept as a string because uvu loads every file under test/ that its
// pattern matches as a suite, and a .py file there would break `uvu test interop`.
export const FIDO2_UDP_SCRIPT = String.raw`
# python-fido2 0.9.1 (Yubico) against keyloop's token over the Solo-simulator UDP transport
# (INTEROP.md): a CtapHidConnection subclass moves 64-byte reports as datagrams; then CTAPHID
# INIT/PING/WINK, CTAP1 register/authenticate with python-fido2's own verification, and the
# WebAuthn layer (Fido2Client's CTAP1 fallback, fido-u2f attestation) checked by Fido2Server.
# Prints one JSON object.
import hashlib
import json
import os
import socket
import sys

from fido2.ctap1 import Ctap1
from fido2.client import Fido2Client
from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor
from fido2.server import Fido2Server
from fido2.webauthn import PublicKeyCredentialRpEntity


class UdpCtapHidConnection(CtapHidConnection):
    """Reports go to 127.0.0.1:DEVICE_PORT; the device answers to the fixed REPLY_PORT we bind."""

    def __init__(self, device_port, reply_port):
        self.device = ("127.0.0.1", device_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", reply_port))
        self.sock.settimeout(5.0)

    def write_packet(self, data):
        self.sock.sendto(bytes(data).ljust(64, b"\0"), self.device)

    def read_packet(self):
        return self.sock.recv(64)

    def close(self):
        self.sock.close()


def main():
    device_port, reply_port = int(sys.argv[1]), int(sys.argv[2])
    connection = UdpCtapHidConnection(device_port, reply_port)
    device = CtapHidDevice(HidDescriptor("udp:%d" % device_port, 0x1209, 0x7F1D, 64, 64), connection)
    result = {
        "hidVersion": device.version,
        "deviceVersion": list(device.device_version),
        "capabilities": device.capabilities,
    }
    payload = os.urandom(500)
    result["ping"] = device.ping(payload) == payload
    if device.capabilities & 0x01:
        device.wink()
        result["wink"] = True

    # CTAP1: python-fido2 verifies the attestation and assertion signatures itself.
    ctap1 = Ctap1(device)
    result["version"] = ctap1.get_version()
    app = hashlib.sha256(b"https://keyloop.test").digest()
    client = hashlib.sha256(b"client data").digest()
    registration = ctap1.register(client, app)
    registration.verify(app, client)
    result["registerVerified"] = True
    counters = []
    for label in (b"one", b"two"):
        challenge = hashlib.sha256(label).digest()
        signature = ctap1.authenticate(challenge, app, registration.key_handle)
        signature.verify(app, challenge, registration.public_key)
        counters.append(signature.counter)
    result["counters"] = counters
    try:
        ctap1.authenticate(client, hashlib.sha256(b"other app").digest(), registration.key_handle, check_only=True)
        result["foreignKeyHandle"] = "accepted"
    except Exception as error:  # ApduError(0x6A80) is the expected answer
        result["foreignKeyHandle"] = "0x%04X" % getattr(error, "code", 0)

    # WebAuthn: the client falls back to CTAP1, the server checks the fido-u2f attestation.
    rp = PublicKeyCredentialRpEntity("keyloop.test", "keyloop")
    server = Fido2Server(rp, attestation="direct")
    webauthn = Fido2Client(device, "https://keyloop.test")
    user = {"id": b"user-1", "name": "alice"}
    create_options, state = server.register_begin(user, user_verification="discouraged")
    attestation = webauthn.make_credential(create_options["publicKey"])
    auth_data = server.register_complete(state, attestation.client_data, attestation.attestation_object)
    result["attestationFormat"] = attestation.attestation_object.fmt
    credentials = [auth_data.credential_data]
    request_options, state = server.authenticate_begin(credentials, user_verification="discouraged")
    selection = webauthn.get_assertion(request_options["publicKey"])
    assertion = selection.get_response(0)
    server.authenticate_complete(
        state,
        credentials,
        assertion.credential_id,
        assertion.client_data,
        assertion.authenticator_data,
        assertion.signature,
    )
    result["webauthnVerified"] = True
    connection.close()
    print(json.dumps(result))


main()
`;
