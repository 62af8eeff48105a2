// USB 2.0 section 9.4 standard requests and HID 1.11 section 7.2 class requests, answered from the
// descriptor set: what a Linux host sends while enumerating (PROTOCOLS.md "USB device"). Anything the
// FIDO key does not support is a STALL (device qualifier included: a full-speed-only device).
import type { DescriptorSet } from './descriptors.ts';
import type { SetupPacket } from './setup-packet.ts';
import { type UsbTransferResult, STALL, completedIn, completedOut } from './usb-transfer.ts';
import {
  DescriptorType,
  ENDPOINT_IN,
  ENDPOINT_OUT,
  FIDO_CONFIGURATION_VALUE,
  FIDO_INTERFACE,
  FeatureSelector,
  HidReportType,
  HidRequest,
  MAX_PACKET_SIZE,
  StandardRequest,
} from './usb-constants.ts';

/** Device state that control requests read and change. */
export interface ControlState {
  /** 0 while unconfigured (after reset), FIDO_CONFIGURATION_VALUE once SET_CONFIGURATION(1) arrived. */
  configuration: number;
  /** HID idle rate from SET_IDLE (4 ms units); kept only to answer GET_IDLE. */
  idleRate: number;
  /** Endpoint addresses halted with SET_FEATURE(ENDPOINT_HALT). */
  readonly halted: Set<number>;
}

export function initialControlState(): ControlState {
  return { configuration: 0, idleRate: 0, halted: new Set() };
}

export interface ControlRequest {
  readonly setup: SetupPacket;
  /** Data stage of an OUT request. */
  readonly data: Uint8Array;
  readonly descriptors: DescriptorSet;
  readonly state: ControlState;
  /** An output report that arrived by SET_REPORT instead of the interrupt OUT endpoint. */
  readonly onOutputReport: (report: Uint8Array) => void;
}

export function answerControlRequest(request: ControlRequest): UsbTransferResult {
  const { setup } = request;
  const result =
    setup.type === 'standard'
      ? standardRequest(request)
      : setup.type === 'class' && setup.recipient === 'interface' && setup.index === FIDO_INTERFACE
        ? hidClassRequest(request)
        : STALL;
  // Never return more than the host asked for in wLength.
  if (result.status === 'ok' && result.data.length > setup.length) return completedIn(result.data.subarray(0, setup.length));
  return result;
}

function standardRequest({ setup, descriptors, state }: ControlRequest): UsbTransferResult {
  const { requestType, request, value, index } = setup;
  switch (requestType) {
    case 0x80: // device, IN
      if (request === StandardRequest.GET_DESCRIPTOR) return deviceDescriptor(descriptors, value);
      if (request === StandardRequest.GET_CONFIGURATION) return completedIn(Uint8Array.of(state.configuration));
      if (request === StandardRequest.GET_STATUS) return completedIn(Uint8Array.of(0, 0)); // bus powered, no wakeup
      return STALL;
    case 0x00: // device, OUT
      if (request === StandardRequest.SET_CONFIGURATION && (value === 0 || value === FIDO_CONFIGURATION_VALUE)) {
        state.configuration = value;
        state.halted.clear(); // USB 2.0 9.4.5: configuring resets endpoint halt
        return completedOut(0);
      }
      if (request === StandardRequest.SET_ADDRESS) return completedOut(0); // normally the host controller's
      return STALL;
    case 0x81: // interface, IN
      if (index !== FIDO_INTERFACE) return STALL;
      if (request === StandardRequest.GET_DESCRIPTOR) return interfaceDescriptor(descriptors, value);
      if (request === StandardRequest.GET_STATUS) return completedIn(Uint8Array.of(0, 0));
      if (request === StandardRequest.GET_INTERFACE && state.configuration) return completedIn(Uint8Array.of(0));
      return STALL;
    case 0x01: // interface, OUT
      if (request === StandardRequest.SET_INTERFACE && index === FIDO_INTERFACE && value === 0 && state.configuration) {
        return completedOut(0);
      }
      return STALL;
    case 0x82: // endpoint, IN
      if (request === StandardRequest.GET_STATUS && isEndpoint(index)) {
        return completedIn(Uint8Array.of(state.halted.has(index) ? 1 : 0, 0));
      }
      return STALL;
    case 0x02: // endpoint, OUT
      if (value !== FeatureSelector.ENDPOINT_HALT || !isEndpoint(index)) return STALL;
      if (request === StandardRequest.CLEAR_FEATURE) {
        state.halted.delete(index);
        return completedOut(0);
      }
      if (request === StandardRequest.SET_FEATURE && index !== 0) {
        state.halted.add(index);
        return completedOut(0);
      }
      return STALL;
    default:
      return STALL;
  }
}

function deviceDescriptor(descriptors: DescriptorSet, value: number): UsbTransferResult {
  const type = value >> 8;
  const index = value & 0xff;
  if (type === DescriptorType.DEVICE && index === 0) return completedIn(descriptors.device);
  if (type === DescriptorType.CONFIGURATION && index === 0) return completedIn(descriptors.configuration);
  // Any LANGID is answered in English: the only language we have (Linux asks with 0x0409 anyway).
  if (type === DescriptorType.STRING && index < descriptors.strings.length) return completedIn(descriptors.strings[index]);
  return STALL; // includes DEVICE_QUALIFIER and OTHER_SPEED_CONFIGURATION: full speed only
}

function interfaceDescriptor(descriptors: DescriptorSet, value: number): UsbTransferResult {
  const type = value >> 8;
  if (type === DescriptorType.HID_REPORT && (value & 0xff) === 0) return completedIn(descriptors.report);
  if (type === DescriptorType.HID && (value & 0xff) === 0) return completedIn(descriptors.hid);
  return STALL;
}

function hidClassRequest({ setup, data, state, onOutputReport }: ControlRequest): UsbTransferResult {
  const { requestType, request, value } = setup;
  if (requestType === 0x21 && request === HidRequest.SET_IDLE) {
    state.idleRate = value >> 8;
    return completedOut(0);
  }
  if (requestType === 0xa1 && request === HidRequest.GET_IDLE) return completedIn(Uint8Array.of(state.idleRate));
  if (requestType === 0x21 && request === HidRequest.SET_REPORT && value >> 8 === HidReportType.OUTPUT) {
    if (!state.configuration || data.length > MAX_PACKET_SIZE) return STALL;
    const report = new Uint8Array(MAX_PACKET_SIZE);
    report.set(data);
    onOutputReport(report);
    return completedOut(data.length);
  }
  return STALL; // GET_REPORT, boot protocol requests: a FIDO key has neither
}

function isEndpoint(address: number): boolean {
  return address === 0 || address === ENDPOINT_IN || address === ENDPOINT_OUT;
}
