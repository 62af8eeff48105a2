// The spellings of --token and --iam, for help texts and errors. A module of its own so that
// `--help` needs none of the targets' code.
export const TOKEN_TARGET_FORMS = ['emulator', 'udp://HOST:PORT', 'usbip://HOST:PORT/BUSID', 'hid', 'hid:PATH'] as const;
export const IAM_TARGET_FORMS = ['mock', 'aws', 'aws:PROFILE'] as const;
