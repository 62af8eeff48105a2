// The FIDO key as a USB device (PROTOCOLS.md "USB device"): control requests on endpoint 0,
// interrupt OUT reports handed to CTAPHID, CTAPHID reports held for interrupt IN. An IN transfer
// waits until a report exists, like a device NAKing the host's polls.
import { type DescriptorSet, buildDescriptors } from './descriptors.ts';
import { answerControlRequest, initialControlState } from './control-request.ts';
import { parseSetupPacket } from './setup-packet.ts';
import { type UsbIdentity, bcdDevice } from './usb-identity.ts';
import { ENDPOINT_IN, ENDPOINT_OUT, FIDO_CONFIGURATION_VALUE, MAX_PACKET_SIZE } from './usb-constants.ts';
import {
  type UsbDevice,
  type UsbDeviceSummary,
  type UsbTransfer,
  type UsbTransferHandle,
  type UsbTransferResult,
  STALL,
  completedIn,
  completedOut,
} from './usb-transfer.ts';

export interface UsbHidDeviceOptions {
  /** Ids and strings for the descriptors (the token's DeviceProfile). */
  identity: UsbIdentity;
  /** Sink for every 64-byte output report from the host: the CTAPHID device's `receive`. */
  receive: (report: Uint8Array) => void;
  /** IN reports kept while the host is not polling; the oldest are dropped beyond this. */
  maxQueuedReports?: number;
  /** Called after reset() (unplug): lets the wiring power-cycle the layers above. */
  onReset?: () => void;
}

interface PendingIn {
  readonly length: number;
  readonly complete: (result: UsbTransferResult) => void;
}

const NOT_PENDING: UsbTransferHandle = { cancel: () => false };

export class UsbHidDevice implements UsbDevice {
  readonly descriptors: DescriptorSet;
  readonly summary: UsbDeviceSummary;
  readonly #receive: (report: Uint8Array) => void;
  readonly #maxQueuedReports: number;
  readonly #onReset: (() => void) | undefined;
  #state = initialControlState();
  readonly #reports: Uint8Array[] = [];
  readonly #pendingIns: PendingIn[] = [];

  constructor({ identity, receive, maxQueuedReports = 1024, onReset }: UsbHidDeviceOptions) {
    this.descriptors = buildDescriptors(identity);
    this.#receive = receive;
    this.#maxQueuedReports = maxQueuedReports;
    this.#onReset = onReset;
    this.summary = {
      speed: 'full',
      vendorId: identity.vendorId,
      productId: identity.productId,
      bcdDevice: bcdDevice(identity.deviceVersion),
      deviceClass: 0,
      deviceSubClass: 0,
      deviceProtocol: 0,
      configurationValue: FIDO_CONFIGURATION_VALUE,
      numConfigurations: 1,
      interfaces: [{ interfaceClass: 3, interfaceSubClass: 0, interfaceProtocol: 0 }],
    };
  }

  /**
   * A report from CTAPHID for the host: completes the oldest waiting IN transfer, else is queued.
   * Dropped while unconfigured: no host is listening (a reply finishing after an unplug).
   */
  send(report: Uint8Array): void {
    if (!this.#state.configuration) return;
    const padded = new Uint8Array(MAX_PACKET_SIZE);
    padded.set(report.subarray(0, MAX_PACKET_SIZE));
    const waiting = this.#pendingIns.shift();
    if (waiting) {
      waiting.complete(completedIn(padded.subarray(0, waiting.length)));
      return;
    }
    this.#reports.push(padded);
    if (this.#reports.length > this.#maxQueuedReports) this.#reports.shift();
  }

  submit(transfer: UsbTransfer, complete: (result: UsbTransferResult) => void): UsbTransferHandle {
    if (transfer.endpoint === 0) {
      complete(this.#control(transfer));
      return NOT_PENDING;
    }
    const address = transfer.endpoint | (transfer.direction === 'in' ? 0x80 : 0);
    if (!this.#state.configuration || this.#state.halted.has(address)) {
      complete(STALL);
      return NOT_PENDING;
    }
    if (address === ENDPOINT_OUT) {
      complete(this.#interruptOut(transfer.data));
      return NOT_PENDING;
    }
    if (address !== ENDPOINT_IN) {
      complete(STALL);
      return NOT_PENDING;
    }
    const queued = this.#reports.shift();
    if (queued) {
      complete(completedIn(queued.subarray(0, transfer.length)));
      return NOT_PENDING;
    }
    const pending: PendingIn = { length: transfer.length, complete };
    this.#pendingIns.push(pending);
    return {
      cancel: () => {
        const at = this.#pendingIns.indexOf(pending);
        if (at < 0) return false;
        this.#pendingIns.splice(at, 1);
        return true;
      },
    };
  }

  reset(): void {
    this.#pendingIns.length = 0;
    this.#reports.length = 0;
    this.#state = initialControlState();
    this.#onReset?.();
  }

  #control(transfer: UsbTransfer): UsbTransferResult {
    if (!transfer.setup) return STALL;
    const setup = parseSetupPacket(transfer.setup);
    // The setup packet's direction bit must agree with the transfer's.
    if (setup.direction !== transfer.direction) return STALL;
    const result = answerControlRequest({
      setup,
      data: transfer.data,
      descriptors: this.descriptors,
      state: this.#state,
      onOutputReport: this.#receive,
    });
    // The data stage fills at most the host's buffer, whatever wLength says.
    if (result.status === 'ok' && result.data.length > transfer.length) return completedIn(result.data.subarray(0, transfer.length));
    return result;
  }

  #interruptOut(data: Uint8Array): UsbTransferResult {
    // A longer packet than wMaxPacketSize would be babble on a real bus.
    if (data.length > MAX_PACKET_SIZE) return STALL;
    const report = new Uint8Array(MAX_PACKET_SIZE);
    report.set(data);
    this.#receive(report);
    return completedOut(data.length);
  }
}
