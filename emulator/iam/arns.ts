// IAM ARNs (IAM User Guide, "IAM ARNs": arn:aws:iam::ACCOUNT:user/PATH/NAME, group/…, policy/…,
// mfa/…, u2f/user/USER/KEY-SUFFIX; AWS managed policies live in the `aws` account).

export const AWS_MANAGED_ACCOUNT = 'aws';

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
export const userArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:user${path}${name}`;
export const groupArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:group${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:policy${path}${name}`;
export const mfaArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:mfa${path}${name}`;
export const securityKeyArn = (accountId: string, userName: string, keyName: string, suffix: string): string =>
  `arn:aws:iam::${accountId}:u2f/user/${userName}/${keyName}-${suffix}`;

export interface IamArn {
  account: string;
  /** `user`, `group`, `policy`, `mfa`, `u2f`, `root`, … */
  type: string;
  /** Path with leading and trailing slash (`/` when none). */
  path: string;
  name: string;
}

/** Splits `arn:aws:iam::ACCOUNT:TYPE/PATH/NAME`; undefined for anything else. */
export function parseIamArn(arn: string): IamArn | undefined {
  const m = /^arn:aws:iam::([^:]*):([^/]+)(\/(?:.*\/)?)?([^/]*)$/.exec(arn);
  if (!m) return undefined;
  if (m[2] === 'root') return { account: m[1], type: 'root', path: '/', name: '' };
  if (m[3] === undefined || m[4] === '') return undefined;
  return { account: m[1], type: m[2], path: m[3], name: m[4] };
}
