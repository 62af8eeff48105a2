// Who signed a request, and the request context AWS builds for them (IAM User Guide, "AWS global
// condition context keys"): the keys identity policies can test for every IAM and STS request.
import { awsTimestamp } from './xml.ts';
import type { Session } from './store/sessions.ts';

/** A principal as the request context describes it (the console builds one for its sessions). */
export interface ContextPrincipal {
  kind: 'root' | 'user';
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:root` or the user's ARN (also for GetSessionToken credentials). */
  arn: string;
  /** The account id for root, the user's unique id (AIDA…) for a user. */
  userId: string;
  /** undefined for root. */
  userName: string | undefined;
  /** Temporary credentials, with when MFA was proven; undefined for long-term access keys. */
  session: { mfaAuthenticatedAt: Date | undefined } | undefined;
}

/** Who signed a request. */
export interface Caller extends ContextPrincipal {
  accessKeyId: string;
  session: Session | undefined;
}

export interface RequestContextInput {
  caller: ContextPrincipal;
  /** Milliseconds since the epoch. */
  now: number;
  sourceIp: string;
  secureTransport: boolean;
  /** The region of the SigV4 credential scope. */
  region: string;
}

export type RequestContext = Record<string, string>;

export function buildRequestContext({ caller, now, sourceIp, secureTransport, region }: RequestContextInput): RequestContext {
  const context: RequestContext = {
    'aws:CurrentTime': awsTimestamp(new Date(now)),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:PrincipalArn': caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': caller.kind === 'root' ? 'Account' : 'User',
    'aws:userid': caller.userId,
    'aws:SecureTransport': String(secureTransport),
    'aws:SourceIp': sourceIp,
    'aws:RequestedRegion': region,
  };
  if (caller.userName !== undefined) context['aws:username'] = caller.userName;
  // Long-term access keys carry no MFA keys at all (which BoolIfExists treats as "no MFA");
  // temporary credentials say whether MFA was proven and how long ago.
  if (caller.session) {
    const mfaAt = caller.session.mfaAuthenticatedAt;
    context['aws:MultiFactorAuthPresent'] = String(mfaAt !== undefined);
    if (mfaAt !== undefined) context['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((now - mfaAt.getTime()) / 1000)));
  }
  return context;
}

/** The client address as AWS reports it: IPv4-mapped IPv6 addresses in dotted form. */
export const sourceIpOf = (remoteAddress: string | undefined): string => (remoteAddress ?? '').replace(/^::ffff:/, '');
