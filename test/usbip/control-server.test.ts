// `keyloop up`'s control port: routes, errors in HTTP's terms, presence set and listed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { UpControl } from '../../harness/targets/up-control.ts';

test('GET /keys lists every key; presence set through the port is what the token uses', async () => {
  const servers = await startTokenServers({ usbipPort: 0, udpPort: null, controlPort: 0, devices: 2 });
  try {
    const control = new UpControl({ port: servers.control!.port });
    const listing = await control.keys();
    assert.is(listing.usbipPort, servers.usbip.port);
    assert.equal(listing.keys.map((k) => [k.busId, k.presence]), [['1-1', 'auto'], ['1-2', 'auto']]);
    await control.setPresence({ mode: 'delay', ms: 250 }, '1-2');
    assert.equal(servers.devices[1].token.presence, { mode: 'delay', ms: 250 });
    assert.equal(servers.devices[0].token.presence, { mode: 'auto' });
    assert.is((await control.keys()).keys[1].presence, 'delay:250');
  } finally {
    await servers.close();
  }
});

test('bad requests get 400, 404 and 405 with a reason; the server keeps serving', async () => {
  const servers = await startTokenServers({ usbipPort: 0, udpPort: null, controlPort: 0 });
  const base = `http://127.0.0.1:${servers.control!.port}`;
  try {
    const badPolicy = await fetch(`${base}/presence?policy=sometimes`, { method: 'POST' });
    assert.is(badPolicy.status, 400);
    assert.match(await badPolicy.text(), /sometimes/);
    assert.is((await fetch(`${base}/touch?busId=9-9`, { method: 'POST' })).status, 404);
    assert.is((await fetch(`${base}/touch`)).status, 405);
    assert.is((await fetch(`${base}/reboot`, { method: 'POST' })).status, 404);
    assert.is((await fetch(`${base}/keys`)).status, 200);
  } finally {
    await servers.close();
  }
});

test.run();
