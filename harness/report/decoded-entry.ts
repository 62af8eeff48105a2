// What a transcript line decodes into: named fields for people and for run-versus-run
// comparison, and the bytes cut into labelled segments for the HTML hex dump.

export interface DecodedField {
  name: string;
  value: string;
  /** Two conforming runs should agree on it (status words, commands, flags), unlike CIDs, nonces or signatures. */
  stable: boolean;
}

/** A run of bytes belonging to one field; `padding` is the zero fill of a HID report. */
export interface HexSegment {
  field: string;
  hex: string;
}

export interface DecodedEntry {
  /** What the line is, for people: `INIT`, `CONT`, `VERSION`, `REGISTER response`, `POST`. */
  message: string;
  fields: DecodedField[];
  segments: HexSegment[];
  /** Set when the bytes do not decode as their kind says (wrong length, bad APDU framing). */
  problem?: string;
}

export function field(name: string, value: string | number, stable: boolean): DecodedField {
  return { name, value: String(value), stable };
}

export function byteHex(value: number, digits = 2): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

export function segment(field: string, bytes: Uint8Array): HexSegment {
  return { field, hex: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') };
}
