// The CTAPHID conformance suite.
import { channelScenarios } from './channels.ts';
import { errorScenarios } from './errors.ts';

export const ctaphid = [...channelScenarios, ...errorScenarios];
