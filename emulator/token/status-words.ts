// FIDO U2F Raw Message Formats v1.2, "Status Codes" (ISO 7816-4 status words).
import { codeNames } from '../util/code-names.ts';

/** Status words a U2F token answers with, as the two trailing bytes SW1 SW2 of every response. */
export const StatusWord = {
  NO_ERROR: 0x9000,
  /** Test of user presence required: the client shows a prompt and retries. */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** Bad key handle, wrong application, or an invalid P1. */
  WRONG_DATA: 0x6a80,
  WRONG_LENGTH: 0x6700,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  /** ISO 7816-4 "no precise diagnosis": an internal failure while serving the request. */
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

export type StatusWordName = keyof typeof StatusWord;
export type StatusWordValue = (typeof StatusWord)[StatusWordName];

/** The constant's name for a status word (`WRONG_DATA`), or `SW_XXXX` for one we never send. */
export const statusWordName = codeNames(StatusWord, (sw) => `SW_${sw.toString(16).toUpperCase().padStart(4, '0')}`);
