// IAM outcomes as the views take them: a failure becomes the page's alert, a list result a Listing.
import type { ActionResult } from '../../iam/actions/action.ts';
import type { IamFailure, IamOutcome } from '../console-iam.ts';
import type { Alert } from '../views/layout.ts';
import type { Listing } from '../views/listing.ts';

export const failureAlert = (failure: IamFailure): Alert => ({ kind: 'error', code: failure.code, message: failure.message });

export const listing = <T>(outcome: IamOutcome, read: (result: ActionResult) => T[]): Listing<T> =>
  outcome.ok ? { ok: true, items: read(outcome.result) } : { ok: false, alert: failureAlert(outcome) };
