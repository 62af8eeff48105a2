// Console passwords for the users a run creates: 24 random characters with every character class,
// so that they satisfy the default IAM password policy and any stricter one an account may set.
import { randomInt } from 'node:crypto';

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*()_+-=[]{}|'] as const;
const ALL = CLASSES.join('');

export function generatePassword(length = 24): string {
  const chars = [...CLASSES.map((set) => set[randomInt(set.length)])];
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]);
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
