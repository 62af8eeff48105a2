// IAM API Reference: CreateVirtualMFADevice, DeleteVirtualMFADevice, ListVirtualMFADevices,
// EnableMFADevice, ResyncMFADevice, DeactivateMFADevice, ListMFADevices, GetMFADevice.
// Security keys are registered only in the console (as on AWS); here they are listed, read and
// deactivated like any other MFA device.
import { mfaArn, parseIamArn } from '../arns.ts';
import { alreadyExists, IamError, invalidInput, noSuchEntity } from '../errors.ts';
import { blankPng } from '../png.ts';
import { rules } from '../rules.ts';
import type { VirtualMfaDevice } from '../store/mfa.ts';
import { findConsecutiveCodes, seedToBase32, totpStep } from '../totp.ts';
import { required } from '../validation.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { listResult, newEntityResource, requireTargetUser, targetUserName, userResource, userShape } from './common.ts';

/** EnableMFADevice accepts codes this many 30-second steps either side of now. */
const ENABLE_WINDOW_STEPS = 2;
/** ResyncMFADevice looks further, to learn how far the device's clock has drifted. */
const RESYNC_WINDOW_STEPS = 40;

const invalidCode = (): IamError => new IamError('InvalidAuthenticationCode', 'Authentication code for device is not valid.');

function assignedVirtualDevice(ctx: ActionContext, userName: string): VirtualMfaDevice {
  const serial = ctx.params.required('SerialNumber');
  const device = ctx.store.mfa.findVirtual(serial);
  if (!device || device.userName?.toLowerCase() !== userName.toLowerCase()) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
  return device;
}

const codes = { AuthenticationCode1: required(rules.authenticationCode), AuthenticationCode2: required(rules.authenticationCode) };

export const CreateVirtualMFADevice: ActionSpec = {
  service: 'iam',
  params: { VirtualMFADeviceName: required(rules.virtualMfaDeviceName), Path: rules.path },
  resource: newEntityResource(mfaArn, 'VirtualMFADeviceName'),
  mutates: true,
  handler: ({ params, store, ids }) => {
    const serialNumber = mfaArn(store.accountId, params.optional('Path') ?? '/', params.required('VirtualMFADeviceName'));
    const device = store.mfa.createVirtual({ serialNumber, seedBase32: seedToBase32(ids.totpSeed()) });
    // Both are blobs, so base64 on the wire: the seed is the base32 text's bytes.
    return { VirtualMFADevice: { SerialNumber: device.serialNumber, Base32StringSeed: Buffer.from(device.seedBase32), QRCodePNG: blankPng() } };
  },
};

export const DeleteVirtualMFADevice: ActionSpec = {
  service: 'iam',
  params: { SerialNumber: required(rules.serialNumber) },
  // A serial that is not a virtual device's ARN names no device (NoSuchEntity for every caller);
  // it is authorized as the account's `mfa/` resource of that name, what a device of it would be.
  resource: ({ params, store }) => {
    const serial = params.required('SerialNumber');
    return parseIamArn(serial)?.type === 'mfa' ? serial : mfaArn(store.accountId, '/', serial);
  },
  mutates: true,
  handler: ({ params, store }) => {
    store.mfa.deleteVirtual(params.required('SerialNumber'));
    return undefined;
  },
};

export const ListVirtualMFADevices: ActionSpec = {
  service: 'iam',
  params: { AssignmentStatus: rules.assignmentStatus, Marker: rules.marker, MaxItems: rules.maxItems },
  resource: ({ store }) => mfaArn(store.accountId, '/', ''),
  mutates: false,
  handler: (ctx) => {
    const status = (ctx.params.optional('AssignmentStatus') ?? 'Any') as 'Assigned' | 'Unassigned' | 'Any';
    return listResult('VirtualMFADevices', ctx.store.mfa.listVirtual(status), ctx, (device) => {
      const user = device.userName === undefined ? undefined : ctx.store.users.find(device.userName);
      return { SerialNumber: device.serialNumber, User: user && userShape(user), EnableDate: device.enableDate };
    });
  },
};

export const EnableMFADevice: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), SerialNumber: required(rules.serialNumber), ...codes },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    const { params, store, now } = ctx;
    const user = requireTargetUser(ctx);
    const serial = params.required('SerialNumber');
    const device = store.mfa.findVirtual(serial);
    if (!device) {
      if (store.mfa.findSecurityKey(serial)) throw invalidInput('Security keys are registered in the console, not with EnableMFADevice.');
      throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
    }
    if (device.userName !== undefined) throw alreadyExists('MFA Device is already in use.');
    const step = findConsecutiveCodes(
      { seedBase32: device.seedBase32, aroundStep: totpStep(now), window: ENABLE_WINDOW_STEPS },
      params.required('AuthenticationCode1'),
      params.required('AuthenticationCode2'),
    );
    if (step === undefined) throw invalidCode();
    store.mfa.enableVirtual(device.serialNumber, user.userName, step);
    return undefined;
  },
};

export const ResyncMFADevice: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), SerialNumber: required(rules.serialNumber), ...codes },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    const device = assignedVirtualDevice(ctx, requireTargetUser(ctx).userName);
    const nowStep = totpStep(ctx.now);
    const step = findConsecutiveCodes(
      { seedBase32: device.seedBase32, aroundStep: nowStep, window: RESYNC_WINDOW_STEPS },
      ctx.params.required('AuthenticationCode1'),
      ctx.params.required('AuthenticationCode2'),
    );
    if (step === undefined) throw invalidCode();
    ctx.store.mfa.recordVirtualUse(device.serialNumber, { lastStep: step, driftSteps: step - nowStep });
    return undefined;
  },
};

export const DeactivateMFADevice: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, SerialNumber: required(rules.serialNumber) },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    ctx.store.mfa.deactivate(requireTargetUser(ctx).userName, ctx.params.required('SerialNumber'));
    return undefined;
  },
};

export const ListMFADevices: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, Marker: rules.marker, MaxItems: rules.maxItems },
  resource: userResource,
  mutates: false,
  handler: (ctx) => {
    // The root user's own devices are not modelled: it has none.
    const devices = targetUserName(ctx) === undefined ? [] : ctx.store.mfa.listForUser(requireTargetUser(ctx).userName);
    return listResult('MFADevices', devices, ctx, (d) => ({ UserName: d.userName, SerialNumber: d.serialNumber, EnableDate: d.enableDate }));
  },
};

export const GetMFADevice: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, SerialNumber: required(rules.serialNumber) },
  resource: userResource,
  mutates: false,
  handler: (ctx) => {
    const user = requireTargetUser(ctx);
    const serial = ctx.params.required('SerialNumber');
    const device = ctx.store.mfa.listForUser(user.userName).find((d) => d.serialNumber === serial);
    if (!device) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    const key = device.kind === 'security-key' ? ctx.store.mfa.findSecurityKey(serial) : undefined;
    return {
      UserName: device.userName,
      SerialNumber: device.serialNumber,
      EnableDate: device.enableDate,
      Certifications: key && new Map(Object.entries(key.certifications)),
    };
  },
};
