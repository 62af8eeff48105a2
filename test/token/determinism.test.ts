// Reproducibility: with the noble signer (RFC 6979) and derived key handles, the same profile,
// state and requests give the same bytes, so a recorded scenario replays byte for byte.
import { cp, rm } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { U2fToken } from '../../emulator/token/index.ts';
import { authenticateApdu, hex, openToken, parseRegistration, registerApdu, sha256, tempDir } from './helpers.ts';

/** A fixed conversation; returns every response as hex. */
async function converse(token: U2fToken): Promise<string[]> {
  const out: string[] = [];
  const send = async (bytes: Uint8Array) => {
    const response = await token.process(bytes);
    out.push(hex(response));
    return response;
  };
  await send(Uint8Array.from([0, 3, 0, 0]));
  const handles: Uint8Array[] = [];
  for (const origin of ['https://a.example', 'https://b.example']) {
    handles.push(parseRegistration(await send(registerApdu(sha256(`reg ${origin}`), sha256(origin)))).keyHandle);
  }
  for (let i = 0; i < 3; i++) await send(authenticateApdu(3, sha256(`auth ${i}`), sha256('https://a.example'), handles[0]!));
  await send(authenticateApdu(8, sha256('silent'), sha256('https://b.example'), handles[1]!));
  await send(authenticateApdu(7, sha256('check'), sha256('https://b.example'), handles[1]!));
  await send(authenticateApdu(3, sha256('wrong app'), sha256('https://b.example'), handles[0]!));
  return out;
}

test('in memory: same device secret, same bytes', async () => {
  const [one, two] = [await openToken(), await openToken()];
  assert.equal(await converse(one), await converse(two));
  await Promise.all([one.close(), two.close()]);
});

test('on disk: a copied state directory replays identically, counter included', async () => {
  const dir = await tempDir('det');
  const seed = await openToken({ stateDir: dir }); // creates the secret
  await seed.close();
  const copy = `${dir}-copy`;
  await cp(dir, copy, { recursive: true });
  const [one, two] = [await openToken({ stateDir: dir }), await openToken({ stateDir: copy })];
  assert.equal(await converse(one), await converse(two));
  await Promise.all([one.close(), two.close()]);
  await Promise.all([rm(dir, { recursive: true }), rm(copy, { recursive: true })]);
});

test('a different device secret gives different handles and signatures', async () => {
  const [one, two] = [await openToken(), await openToken({ deviceSecret: new Uint8Array(32).fill(9) })];
  const [a, b] = [await converse(one), await converse(two)];
  assert.is(a[0], b[0]); // VERSION
  assert.is.not(a[1], b[1]);
  await Promise.all([one.close(), two.close()]);
});

test('the node signer is randomized: same handles, different signatures', async () => {
  const [one, two] = [await openToken({ signer: 'node' }), await openToken({ signer: 'node' })];
  const [a, b] = [await converse(one), await converse(two)];
  const handleOf = (response: string) => hex(parseRegistration(Buffer.from(response, 'hex')).keyHandle);
  assert.is(handleOf(a[1]!), handleOf(b[1]!));
  assert.is.not(a[3], b[3]);
  await Promise.all([one.close(), two.close()]);
});

test.run();
