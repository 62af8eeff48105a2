// Every scenario suite keyloop ships, in the order `keyloop run` runs them.
import type { Scenario } from '../harness/runner/index.ts';
import { basics } from './u2f/basics.ts';
import { counter } from './u2f/counter.ts';
import { keyHandles } from './u2f/key-handles.ts';
import { malformed } from './u2f/malformed.ts';
import { presence } from './u2f/presence.ts';
import { ctaphid } from './ctaphid/index.ts';
import { workshopPolicy } from './workshop/policy-checks.ts';
import { consoleWorkshop } from './workshop/console.ts';
import { browserWorkshop } from './workshop/browser.ts';
import { workshopNegative } from './workshop/negative.ts';
import { guidedKey } from './workshop/guided-key.ts';

export const suites: Record<string, Scenario[]> = {
  u2f: [...basics, ...keyHandles, ...presence, ...counter, ...malformed],
  ctaphid,
  workshop: [...workshopPolicy, consoleWorkshop, browserWorkshop, ...workshopNegative, guidedKey],
};

export const allScenarios: Scenario[] = Object.values(suites).flat();
