// Typed views of the IAM action results the pages show. The actions return the fields of their
// `<ActionResult>` (IAM API Reference, each action's "Response Elements"); these readers pick the
// members a page needs and tolerate absent ones.
import type { ActionResult } from '../iam/actions/action.ts';
import type { XmlObject, XmlValue } from '../iam/xml.ts';

export interface UserRow {
  userName: string;
  arn: string;
  userId: string;
  createDate: Date | undefined;
}

export interface PolicyRow {
  policyName: string;
  arn: string;
  /** AWS managed policies live in the `aws` account. */
  awsManaged: boolean;
  attachmentCount: number;
}

export interface AttachedPolicyRow {
  policyName: string;
  arn: string;
}

export interface MfaDeviceRow {
  serialNumber: string;
  enableDate: Date | undefined;
  /** Security keys have `u2f/` serials; virtual devices `mfa/`. */
  kind: 'security-key' | 'virtual';
}

const isObject = (value: XmlValue): value is XmlObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array) && !(value instanceof Map);

const members = (result: ActionResult, name: string): XmlObject[] => {
  const list = result?.[name];
  return Array.isArray(list) ? list.filter(isObject) : [];
};

const member = (result: ActionResult, name: string): XmlObject => {
  const value = result?.[name];
  return value !== undefined && isObject(value) ? value : {};
};

const text = (fields: XmlObject, name: string): string => {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
};

const date = (fields: XmlObject, name: string): Date | undefined => {
  const value = fields[name];
  return value instanceof Date ? value : undefined;
};

const userRow = (fields: XmlObject): UserRow => ({
  userName: text(fields, 'UserName'),
  arn: text(fields, 'Arn'),
  userId: text(fields, 'UserId'),
  createDate: date(fields, 'CreateDate'),
});

export const usersOf = (result: ActionResult): UserRow[] => members(result, 'Users').map(userRow);

export const userOf = (result: ActionResult): UserRow => userRow(member(result, 'User'));

export const policiesOf = (result: ActionResult): PolicyRow[] =>
  members(result, 'Policies').map((fields) => ({
    policyName: text(fields, 'PolicyName'),
    arn: text(fields, 'Arn'),
    awsManaged: text(fields, 'Arn').startsWith('arn:aws:iam::aws:'),
    attachmentCount: typeof fields.AttachmentCount === 'number' ? fields.AttachmentCount : 0,
  }));

export const attachedPoliciesOf = (result: ActionResult): AttachedPolicyRow[] =>
  members(result, 'AttachedPolicies').map((fields) => ({ policyName: text(fields, 'PolicyName'), arn: text(fields, 'PolicyArn') }));

export const mfaDevicesOf = (result: ActionResult): MfaDeviceRow[] =>
  members(result, 'MFADevices').map((fields) => ({
    serialNumber: text(fields, 'SerialNumber'),
    enableDate: date(fields, 'EnableDate'),
    kind: /:u2f\//.test(text(fields, 'SerialNumber')) ? 'security-key' : 'virtual',
  }));

/** CreatePolicy's new policy. */
export const createdPolicyOf = (result: ActionResult): AttachedPolicyRow => {
  const policy = member(result, 'Policy');
  return { policyName: text(policy, 'PolicyName'), arn: text(policy, 'Arn') };
};

/** CreateVirtualMFADevice's serial and seed (a blob holding the base32 text). */
export const virtualDeviceOf = (result: ActionResult): { serialNumber: string; seedBase32: string } => {
  const device = member(result, 'VirtualMFADevice');
  const seed = device.Base32StringSeed;
  return { serialNumber: text(device, 'SerialNumber'), seedBase32: seed instanceof Uint8Array ? Buffer.from(seed).toString('utf8') : '' };
};
