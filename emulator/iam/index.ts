// The mock IAM and STS endpoint: Query API, SigV4, identity-policy evaluation, SQLite state.
export { startIamServer, DEFAULT_ACCOUNT_ID, DEFAULT_IAM_PORT, DEFAULT_ROOT_CREDENTIALS } from './server.ts';
export type { IamServer, IamServerOptions } from './server.ts';
export type { Credentials, IamLogger, IamRequestEvent } from './pipeline.ts';
export { accessDeniedMessage, createAuthorizer } from './authorize.ts';
export type { Authorize, AuthorizeRequest, AuthorizationResult } from './authorize.ts';
export type { Decision, MatchedStatement } from './evaluate.ts';
export { buildRequestContext } from './caller.ts';
export type { Caller, ContextPrincipal, RequestContext, RequestContextInput } from './caller.ts';
export { IamError, IAM_ERROR_STATUS } from './errors.ts';
export type { IamErrorCode } from './errors.ts';
export { IamStore, openIamStore } from './store/store.ts';
export type { IdentityPolicy, OpenIamStoreOptions } from './store/store.ts';
export type { User } from './store/users.ts';
export type { AssignedMfaDevice, NewSecurityKey, SecurityKey, VirtualMfaDevice } from './store/mfa.ts';
export { ACTIONS } from './actions/table.ts';
export { totpCode, totpStep } from './totp.ts';
export { runIamCommand } from './command.ts';
export type { IamCommandOptions } from './command.ts';
