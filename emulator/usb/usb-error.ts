// The USB layer's one error class. Bad host input is answered with a STALL, not thrown;
// UsbError marks misuse by the code wiring the layer (a setup packet of the wrong size).

export type UsbErrorCode = 'BAD_SETUP';

export class UsbError extends Error {
  override readonly name = 'UsbError';
  constructor(
    readonly code: UsbErrorCode,
    message: string,
  ) {
    super(message);
  }
}
