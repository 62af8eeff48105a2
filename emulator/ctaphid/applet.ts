// The contract between the CTAPHID layer and the application behind it (CTAP 2.1 section 11.2.9:
// CTAPHID_MSG carries a U2F raw message, CTAPHID_WINK asks for visual identification).

export interface CtaphidApplet {
  /** Handle one CTAPHID_MSG payload (a U2F APDU); resolves to the response APDU. */
  process(request: Uint8Array): Promise<Uint8Array>;
  /** CTAPHID_WINK: visual identification. */
  wink?(): void;
}
