// The one error class of the IAM layer. Codes and HTTP statuses follow the IAM and STS API
// references ("Common Errors" and each action's "Errors" section). Every failure of a request
// becomes one of these and is answered as AWS error XML; nothing else escapes the pipeline.

export const IAM_ERROR_STATUS = {
  AccessDenied: 403,
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  ExpiredToken: 403,
  IncompleteSignature: 400,
  InvalidAction: 400,
  InvalidAuthenticationCode: 403,
  InvalidClientTokenId: 403,
  InvalidInput: 400,
  InvalidUserType: 400,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  NoSuchEntity: 404,
  PasswordPolicyViolation: 400,
  // AWS's front end answers an oversized body before the service sees it and documents no code;
  // we keep the answer in the AWS error shape so clients parse it like any other error.
  RequestEntityTooLarge: 413,
  ServiceFailure: 500,
  SignatureDoesNotMatch: 403,
  ValidationError: 400,
} as const;

export type IamErrorCode = keyof typeof IAM_ERROR_STATUS;

export class IamError extends Error {
  readonly code: IamErrorCode;
  readonly status: number;

  constructor(code: IamErrorCode, message: string) {
    super(message);
    this.name = 'IamError';
    this.code = code;
    this.status = IAM_ERROR_STATUS[code];
  }

  /** AWS's fault: `Sender` for the caller's mistakes, `Receiver` for ours. */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const noSuchEntity = (message: string): IamError => new IamError('NoSuchEntity', message);
export const alreadyExists = (message: string): IamError => new IamError('EntityAlreadyExists', message);
export const deleteConflict = (message: string): IamError => new IamError('DeleteConflict', message);
export const limitExceeded = (message: string): IamError => new IamError('LimitExceeded', message);
export const invalidInput = (message: string): IamError => new IamError('InvalidInput', message);
