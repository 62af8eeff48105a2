// FIDO U2F Raw Message Formats v1.2, "Examples": check the spec's vectors with node:crypto, and
// that our parser and encoder reproduce the spec's request and response layouts byte for byte.
import { createECDH, X509Certificate } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  NobleSigner,
  NodeSigner,
  authenticateSignedData,
  encodeAuthenticateResponse,
  encodeRegisterResponse,
  parseApdu,
  parseAuthenticateRequest,
  parseRegisterRequest,
  registerSignedData,
} from '../../emulator/token/index.ts';
import { authentication as auth, registration as reg } from './fixtures/u2f-spec-examples.ts';
import { apdu, hex, sha256, unhex, verifyWithCertificate, verifyWithPoint } from './helpers.ts';

const pointOf = (privateKey: string): string => {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateKey, 'hex'));
  return ecdh.getPublicKey('hex');
};

test('registration example: parameters are the SHA-256 of the client data and app id', () => {
  assert.is(hex(sha256(reg.clientData)), reg.challengeParameter);
  assert.is(hex(sha256(reg.appId)), reg.applicationParameter);
});

test('registration example: keys, certificate and signature agree (node:crypto)', () => {
  assert.is(pointOf(reg.attestationPrivateKey), reg.attestationPublicKey);
  assert.is(pointOf(reg.userPrivateKey), reg.userPublicKey);
  const cert = new X509Certificate(unhex(reg.attestationCertificate));
  const jwk = cert.publicKey.export({ format: 'jwk' });
  assert.is(Buffer.from(jwk.x!, 'base64url').toString('hex'), reg.attestationPublicKey.slice(2, 66));
  assert.ok(verifyWithCertificate(unhex(reg.attestationCertificate), unhex(reg.signedData), unhex(reg.signature)));
  assert.ok(verifyWithPoint(unhex(reg.attestationPublicKey), unhex(reg.signedData), unhex(reg.signature)));
});

test('registration example: request parsed from an extended APDU, signed data and response rebuilt', () => {
  const data = unhex(reg.challengeParameter + reg.applicationParameter);
  const command = parseApdu(apdu(0x01, 0x03, data));
  assert.is(command.ins, 0x01);
  const request = parseRegisterRequest(command.data);
  assert.is(hex(request.challenge), reg.challengeParameter);
  assert.is(hex(request.application), reg.applicationParameter);
  assert.is(hex(registerSignedData(request, unhex(reg.keyHandle), unhex(reg.userPublicKey))), reg.signedData);
  const response = encodeRegisterResponse({
    publicKey: unhex(reg.userPublicKey),
    keyHandle: unhex(reg.keyHandle),
    attestationCertificate: unhex(reg.attestationCertificate),
    signature: unhex(reg.signature),
  });
  assert.is(hex(response), reg.responseMessage);
});

test('authentication example: parameters, public key and signature (node:crypto)', () => {
  assert.is(hex(sha256(auth.clientData)), auth.challengeParameter);
  assert.is(hex(sha256(auth.appId)), auth.applicationParameter);
  assert.is(pointOf(auth.userPrivateKey), auth.userPublicKey);
  assert.ok(verifyWithPoint(unhex(auth.userPublicKey), unhex(auth.signedData), unhex(auth.signature)));
  // And a tampered counter no longer verifies: the check is not vacuous.
  const tampered = unhex(auth.signedData);
  tampered[36] ^= 1;
  assert.not.ok(verifyWithPoint(unhex(auth.userPublicKey), tampered, unhex(auth.signature)));
});

test('authentication example: request parsed from an APDU, signed data and response rebuilt', () => {
  const message = unhex(auth.requestMessage);
  const command = parseApdu(apdu(0x02, message[0]!, message.subarray(1)));
  assert.is(command.p1, 0x03);
  const request = parseAuthenticateRequest(command.data);
  assert.is(hex(request.challenge), auth.challengeParameter);
  assert.is(hex(request.application), auth.applicationParameter);
  assert.is(hex(request.keyHandle), auth.keyHandle);
  assert.is(hex(authenticateSignedData(request, auth.userPresence, auth.counter)), auth.signedData);
  const response = encodeAuthenticateResponse({ userPresence: auth.userPresence, counter: auth.counter, signature: unhex(auth.signature) });
  assert.is(hex(response), auth.responseMessage);
});

test('our signers with the spec keys: same public keys, signatures that OpenSSL accepts', () => {
  for (const signer of [new NobleSigner(), new NodeSigner()]) {
    assert.is(hex(signer.publicKey(unhex(reg.attestationPrivateKey))), reg.attestationPublicKey, signer.kind);
    assert.is(hex(signer.publicKey(unhex(auth.userPrivateKey))), auth.userPublicKey, signer.kind);
    const signature = signer.sign(unhex(auth.signedData), unhex(auth.userPrivateKey));
    assert.ok(verifyWithPoint(unhex(auth.userPublicKey), unhex(auth.signedData), signature), signer.kind);
    const attestation = signer.sign(unhex(reg.signedData), unhex(reg.attestationPrivateKey));
    assert.ok(verifyWithCertificate(unhex(reg.attestationCertificate), unhex(reg.signedData), attestation), signer.kind);
  }
});

test.run();
