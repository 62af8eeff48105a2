// CTAPHID_INIT response payload: CTAP 2.1 section 11.2.9.1.3.
// `nonce (8) || CID (4) || protocol version || major || minor || build || capabilities`.
import { INIT_NONCE_SIZE, INIT_RESPONSE_SIZE } from './constants.ts';

export interface DeviceVersion {
  major: number;
  minor: number;
  build: number;
}

export interface InitResponse {
  /** The request's nonce, echoed. */
  nonce: Uint8Array;
  /** The allocated (or resynchronised) channel. */
  cid: number;
  protocolVersion: number;
  deviceVersion: DeviceVersion;
  /** Capability flags (Capability.WINK, CBOR, NMSG). */
  capabilities: number;
}

export function encodeInitResponse(response: InitResponse): Uint8Array {
  if (response.nonce.length !== INIT_NONCE_SIZE) {
    throw new RangeError(`CTAPHID_INIT nonce: expected ${INIT_NONCE_SIZE} bytes, got ${response.nonce.length}`);
  }
  const bytes = new Uint8Array(INIT_RESPONSE_SIZE);
  bytes.set(response.nonce);
  new DataView(bytes.buffer).setUint32(INIT_NONCE_SIZE, response.cid);
  const { major, minor, build } = response.deviceVersion;
  bytes.set([response.protocolVersion, major, minor, build, response.capabilities], INIT_NONCE_SIZE + 4);
  return bytes;
}

/** Parse a CTAPHID_INIT response; undefined if it is shorter than 17 bytes (longer is tolerated). */
export function parseInitResponse(payload: Uint8Array): InitResponse | undefined {
  if (payload.length < INIT_RESPONSE_SIZE) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const at = INIT_NONCE_SIZE + 4;
  return {
    nonce: payload.slice(0, INIT_NONCE_SIZE),
    cid: view.getUint32(INIT_NONCE_SIZE),
    protocolVersion: payload[at],
    deviceVersion: { major: payload[at + 1], minor: payload[at + 2], build: payload[at + 3] },
    capabilities: payload[at + 4],
  };
}
