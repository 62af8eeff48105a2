// CBOR for WebAuthn structures (RFC 8949 via cbor-x), in the CTAP2 canonical form of CTAP 2.1
// §8 "Message Encoding": definite lengths, shortest heads, no tags. cbor-x keeps insertion order,
// so callers insert map keys in canonical order (shorter encoded key first, then bytewise).
import { Encoder, type Options } from 'cbor-x';

export type CborValue = number | string | boolean | Uint8Array | CborValue[] | CborMap | { [key: string]: CborValue };
export type CborMap = Map<number | string, CborValue>;

/** cbor-x honours useTag259ForMaps (its README documents it) but its typings omit it. */
type EncoderOptions = Options & { useTag259ForMaps: boolean };

export function encodeCbor(value: CborValue): Uint8Array {
  const options: EncoderOptions = {
    useRecords: false, // plain CBOR maps, not cbor-x's record extension
    variableMapSize: true, // shortest map heads (cbor-x defaults to map16 for objects)
    useTag259ForMaps: false, // a Map is an ordinary CBOR map, untagged
    tagUint8Array: false, // byte strings, not tag 64 typed arrays
  };
  // A fresh encoder per call: cbor-x encoders keep buffers and state between calls.
  return new Uint8Array(new Encoder(options).encode(value));
}
