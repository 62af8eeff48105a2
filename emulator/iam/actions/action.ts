// The shape of one IAM or STS action: which service routes to it, how its parameters are checked,
// which IAM action and resource authorize it (IAM service authorization reference), and the
// handler that does it.
import type { Caller } from '../caller.ts';
import type { IdSource } from '../ids.ts';
import type { IamStore } from '../store/store.ts';
import type { Params, ParamSpec } from '../validation.ts';
import type { XmlObject } from '../xml.ts';

export type Service = 'iam' | 'sts';

/** What a handler sees. */
export interface ActionContext {
  params: Params;
  caller: Caller;
  store: IamStore;
  /** Milliseconds since the epoch, read once per request. */
  now: number;
  ids: IdSource;
}

/** What an action's resource function sees: the request before it is authorized. */
export type ResourceContext = Pick<ActionContext, 'params' | 'caller' | 'store'>;

/** The fields of `<ActionResult>`, or undefined for actions that return only metadata. */
export type ActionResult = XmlObject | undefined;

interface ActionBase {
  service: Service;
  params: ParamSpec;
  /**
   * The resource that AccessDenied names and policies are evaluated against, or null for actions
   * AWS never checks against policies (sts:GetCallerIdentity, sts:GetSessionToken).
   */
  resource: ((request: ResourceContext) => string) | null;
}

/** Writers run inside one store transaction, so they are synchronous. */
export type ActionSpec = ActionBase &
  (
    | { mutates: true; handler: (ctx: ActionContext) => ActionResult }
    | { mutates: false; handler: (ctx: ActionContext) => ActionResult | Promise<ActionResult> }
  );
