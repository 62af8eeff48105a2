// IAM outcomes as the views take them: a failure becomes the page's alert and its status, a list
// result a Listing.
import type { ActionResult } from '../../iam/actions/action.ts';
import type { IamFailure, IamOutcome } from '../console-iam.ts';
import type { Alert } from '../views/layout.ts';
import type { Listing } from '../views/listing.ts';

export const failureAlert = (failure: IamFailure): Alert => ({ kind: 'error', code: failure.code, message: failure.message });

/** The status of a page showing an IAM failure: denied 403, no such entity 404, a quota or a taken name 409, else 400. */
export const failureStatus = (failure: IamFailure): number =>
  failure.code === 'AccessDenied' ? 403 : failure.code === 'NoSuchEntity' ? 404 : failure.code === 'LimitExceeded' || failure.code === 'EntityAlreadyExists' ? 409 : 400;

export const listing = <T>(outcome: IamOutcome, read: (result: ActionResult) => T[]): Listing<T> =>
  outcome.ok ? { ok: true, items: read(outcome.result) } : { ok: false, alert: failureAlert(outcome) };
