// Member constraints shared by IAM and STS actions, as the API references give them ("Data Types"
// and each action's "Request Parameters": length constraints and patterns).
import { int, str } from './validation.ts';

const NAME = '[\\w+=,.@-]+';

export const rules = {
  userName: str({ min: 1, max: 64, pattern: NAME }),
  groupName: str({ min: 1, max: 128, pattern: NAME }),
  policyName: str({ min: 1, max: 128, pattern: NAME }),
  path: str({ min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' }),
  pathPrefix: str({ min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' }),
  policyPathPrefix: str({ min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' }),
  arn: str({ min: 20, max: 2048 }),
  policyDocument: str({ min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }),
  description: str({ min: 0, max: 1000 }),
  versionId: str({ pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' }),
  password: str({ min: 1, max: 128, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }),
  accessKeyId: str({ min: 16, max: 128, pattern: '[\\w]+' }),
  status: str({ enum: ['Active', 'Inactive'] }),
  serialNumber: str({ min: 9, max: 256, pattern: '[\\w+=/:,.@-]+' }),
  authenticationCode: str({ min: 6, max: 6, pattern: '[\\d]+' }),
  virtualMfaDeviceName: str({ min: 1, max: 226, pattern: NAME }),
  accountAlias: str({ min: 3, max: 63, pattern: '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$' }),
  assignmentStatus: str({ enum: ['Assigned', 'Unassigned', 'Any'] }),
  policyScope: str({ enum: ['All', 'AWS', 'Local'] }),
  policyUsageFilter: str({ enum: ['PermissionsPolicy', 'PermissionsBoundary'] }),
  marker: str({ min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' }),
  maxItems: int(1, 1000),
  actionName: str({ min: 3, max: 128 }),
  resourceArn: str({ min: 1, max: 2048 }),
  durationSeconds: int(900, 129600),
  tokenCode: str({ min: 6, max: 6, pattern: '[\\d]*' }),
} as const;
