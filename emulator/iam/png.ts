// A minimal PNG (ISO/IEC 15948: signature, IHDR, IDAT, IEND; 1-bit greyscale) for
// CreateVirtualMFADevice's QRCodePNG. It is a valid image, not a scannable QR code: clients of the
// mock take the seed from Base32StringSeed.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A white square of `size` pixels. */
export function blankPng(size = 33): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rowBytes = Math.ceil(size / 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(rowBytes, 0xff)]); // filter 0, white pixels
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}
