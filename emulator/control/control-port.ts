// The control port's default, apart from the server so that the CLI's help needs no emulator code.
export const DEFAULT_CONTROL_PORT = 3241;
