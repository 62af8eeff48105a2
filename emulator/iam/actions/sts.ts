// STS API Reference: GetCallerIdentity and GetSessionToken. Neither is checked against policies
// ("No permissions are required to perform this operation").
import { IamError } from '../errors.ts';
import { rules } from '../rules.ts';
import { findCode, totpStep } from '../totp.ts';
import type { ActionSpec } from './action.ts';

/** Root sessions last at most an hour; users' between 15 minutes and 36 hours, 12 by default. */
const ROOT_MAX_DURATION = 3600;
const DEFAULT_DURATION = 43200;

const mfaFailed = (): IamError => new IamError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');

export const GetCallerIdentity: ActionSpec = {
  service: 'sts',
  params: {},
  resource: null,
  mutates: false,
  handler: ({ caller }) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
};

export const GetSessionToken: ActionSpec = {
  service: 'sts',
  params: { DurationSeconds: rules.durationSeconds, SerialNumber: rules.serialNumber, TokenCode: rules.tokenCode },
  resource: null,
  mutates: true,
  handler: ({ params, caller, store, now }) => {
    if (caller.session) throw new IamError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
    const durationSeconds = params.integer('DurationSeconds') ?? (caller.kind === 'root' ? ROOT_MAX_DURATION : DEFAULT_DURATION);
    if (caller.kind === 'root' && durationSeconds > ROOT_MAX_DURATION) {
      throw new IamError('ValidationError', `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${ROOT_MAX_DURATION}`);
    }
    const serial = params.optional('SerialNumber');
    const code = params.optional('TokenCode');
    if ((serial === undefined) !== (code === undefined)) throw mfaFailed();
    if (serial !== undefined && code !== undefined) {
      // Only an assigned virtual device's next unused code counts (security keys have no codes).
      const device = store.mfa.findVirtual(serial);
      if (!device || caller.userName === undefined || device.userName?.toLowerCase() !== caller.userName.toLowerCase()) throw mfaFailed();
      const step = findCode({ seedBase32: device.seedBase32, aroundStep: totpStep(now) + device.driftSteps, window: 1, after: device.lastStep }, code);
      if (step === undefined) throw mfaFailed();
      store.mfa.recordVirtualUse(device.serialNumber, { lastStep: step, driftSteps: device.driftSteps });
    }
    const session = store.sessions.create({ userName: caller.userName, durationSeconds, mfaSerial: serial });
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: session.expiration,
      },
    };
  },
};
