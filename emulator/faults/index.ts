export { parseFaultRules, type FaultRule, type FaultInstruction } from './fault-rules.ts';
export { withFaults } from './fault-applet.ts';
