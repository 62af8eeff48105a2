// The `emulator` token target: a U2fToken in this process behind one CtaphidDevice; every
// transport the harness opens is another host handle on that device, as with hidraw.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { Capability as CtaphidCapability } from '../../emulator/ctaphid/constants.ts';
import { withFaults } from '../../emulator/faults/index.ts';
import { loadProfile, U2fToken, type DeviceProfile } from '../../emulator/token/index.ts';
import { createPipeDevice, type PipeDevice } from '../transports/pipe.ts';
import type { Capability, TokenControl, TokenDescription, TokenTarget } from './token-target.ts';

export interface EmulatorTargetOptions {
  /** Device profile JSON; the default profile in fixtures/ when omitted. */
  profilePath?: string;
  /** Token state directory; a temporary one (removed on close) when omitted. */
  stateDir?: string;
}

export async function openEmulatorTarget({ profilePath, stateDir }: EmulatorTargetOptions = {}): Promise<TokenTarget> {
  const profile = await loadProfile(profilePath);
  const ownedDir = stateDir ? undefined : await mkdtemp(join(tmpdir(), 'keyloop-token-'));
  const dir = stateDir ?? ownedDir!;
  let token = await U2fToken.open({ profile, stateDir: dir });
  // Forwards to whichever token is current, so a restart swaps the token under the same faults.
  const applet = withFaults({ process: (apdu) => token.process(apdu), wink: () => token.wink() }, profile.faults);
  let pipe: PipeDevice = createPipeDevice(applet);

  const control: TokenControl = {
    setPresence: async (policy) => { token.presence = policy; },
    touch: async () => token.touch(),
    async restart() {
      pipe.close();
      const presence = token.presence;
      await token.close();
      token = await U2fToken.open({ profile, stateDir: dir });
      token.presence = presence;
      // A power cycle drops every channel: a fresh device, handles opened before it are closed.
      pipe = createPipeDevice(applet);
    },
    reset: async () => { token.presence = profile.presence; },
  };

  return {
    description: describe(profile, token.attestationCertificate, pipe.device.capabilities),
    capabilities: new Set<Capability>(['presence-control', 'restart']),
    control,
    openTransport: async () => pipe.openHandle(),
    async close() {
      pipe.close();
      await token.close();
      if (ownedDir) await rm(ownedDir, { recursive: true, force: true });
    },
  };
}

function describe(profile: DeviceProfile, certificate: Uint8Array, capabilities: number): TokenDescription {
  const attestation = new X509Certificate(certificate);
  const { major, minor, build } = profile.deviceVersion;
  return {
    target: 'emulator',
    kind: 'emulator',
    vendorId: profile.vendorId,
    productId: profile.productId,
    manufacturer: profile.manufacturer,
    product: profile.product,
    serialNumber: profile.serialNumber,
    deviceVersion: `${major}.${minor}.${build}`,
    capabilityFlags: Object.entries(CtaphidCapability).filter(([, bit]) => capabilities & bit).map(([name]) => name),
    attestationSubject: attestation.subject,
    attestationFingerprint: attestation.fingerprint256,
  };
}
