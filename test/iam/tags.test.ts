// Tags on users and customer managed policies through the AWS SDK: CreateUser and CreatePolicy
// with Tags, TagUser/UntagUser/ListUserTags, TagPolicy/UntagPolicy/ListPolicyTags, AWS's limits
// (50 tags, key 1..128, value 0..256, the character set), caseless user keys, and a state file of
// schema version 1 gaining the tag tables when it is opened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CreatePolicyCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  ListPolicyTagsCommand,
  ListUserTagsCommand,
  TagPolicyCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagUserCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import type { IamServer } from '../../emulator/iam/index.ts';
import { STATE_FILE } from '../../emulator/iam/store/database.ts';
import { errorOf, iamClient, startTestServer } from './support.ts';

let server: IamServer;
let iam: IAMClient;

const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
const tags = (count: number, prefix = 'k'): Tag[] => Array.from({ length: count }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

test.before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});

test.after(async () => {
  await server.close();
});

test('CreateUser with Tags: returned by CreateUser, GetUser and ListUserTags, sorted by key', async () => {
  const created = await iam.send(new CreateUserCommand({ UserName: 'tagged', Tags: [{ Key: 'team', Value: 'keys' }, { Key: 'cost:center', Value: '' }] }));
  assert.equal(created.User!.Tags, [{ Key: 'cost:center', Value: '' }, { Key: 'team', Value: 'keys' }]);
  assert.equal((await iam.send(new GetUserCommand({ UserName: 'tagged' }))).User!.Tags, created.User!.Tags);
  const listed = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
  assert.equal([listed.Tags, listed.IsTruncated], [created.User!.Tags, false]);
  const plain = await iam.send(new CreateUserCommand({ UserName: 'plain' }));
  assert.is(plain.User!.Tags, undefined);
  assert.equal((await iam.send(new ListUserTagsCommand({ UserName: 'plain' }))).Tags, []);
});

test('TagUser overwrites values, user keys are caseless; UntagUser removes; pagination', async () => {
  await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'TEAM', Value: 'fido' }, { Key: 'owner', Value: 'ana' }] }));
  const listed = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
  assert.equal(listed.Tags, [{ Key: 'cost:center', Value: '' }, { Key: 'owner', Value: 'ana' }, { Key: 'TEAM', Value: 'fido' }]);
  const page = await iam.send(new ListUserTagsCommand({ UserName: 'tagged', MaxItems: 2 }));
  assert.equal([page.Tags!.length, page.IsTruncated], [2, true]);
  const rest = await iam.send(new ListUserTagsCommand({ UserName: 'tagged', Marker: page.Marker }));
  assert.equal(rest.Tags, [{ Key: 'TEAM', Value: 'fido' }]);
  await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['team', 'absent'] }));
  assert.equal((await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }))).Tags!.map((t) => t.Key), ['cost:center', 'owner']);
  const duplicate = await errorOf(iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
  assert.equal([duplicate.code, duplicate.status], ['InvalidInput', 400]);
  assert.is((await errorOf(iam.send(new ListUserTagsCommand({ UserName: 'nobody' })))).code, 'NoSuchEntity');
  assert.is((await errorOf(iam.send(new TagUserCommand({ UserName: 'nobody', Tags: tags(1) })))).code, 'NoSuchEntity');
});

test('validation: at most 50 tags a request and a user, key 1..128, value 0..256, AWS character set', async () => {
  const tooMany = await errorOf(iam.send(new CreateUserCommand({ UserName: 'crowded', Tags: tags(51) })));
  assert.equal([tooMany.code, tooMany.status], ['ValidationError', 400]);
  assert.match(tooMany.message, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  assert.is((await errorOf(iam.send(new GetUserCommand({ UserName: 'crowded' })))).code, 'NoSuchEntity', 'a rejected CreateUser creates nothing');

  await iam.send(new CreateUserCommand({ UserName: 'full', Tags: tags(50) }));
  const over = await errorOf(iam.send(new TagUserCommand({ UserName: 'full', Tags: [{ Key: 'one-more', Value: 'x' }] })));
  assert.equal([over.code, over.status], ['LimitExceeded', 409]);
  await iam.send(new TagUserCommand({ UserName: 'full', Tags: [{ Key: 'k0', Value: 'replaced' }] }));

  const longKey = await errorOf(iam.send(new TagUserCommand({ UserName: 'plain', Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })));
  assert.is(longKey.code, 'ValidationError');
  assert.match(longKey.message, /at 'tags\.1\.member\.key' failed to satisfy constraint: Member must have length less than or equal to 128/);
  const longValue = await errorOf(iam.send(new TagUserCommand({ UserName: 'plain', Tags: [{ Key: 'ok', Value: 'v'.repeat(257) }] })));
  assert.match(longValue.message, /at 'tags\.1\.member\.value'/);
  const badCharacter = await errorOf(iam.send(new TagUserCommand({ UserName: 'plain', Tags: [{ Key: 'semi;colon', Value: 'v' }] })));
  assert.match(badCharacter.message, /Member must satisfy regular expression pattern/);
  await iam.send(new TagUserCommand({ UserName: 'plain', Tags: [{ Key: 'Ünïcode key 1', Value: 'a:b/c=d+e-f@g_h.i' }, { Key: 'k'.repeat(128), Value: 'v'.repeat(256) }] }));
  assert.is((await iam.send(new ListUserTagsCommand({ UserName: 'plain' }))).Tags!.length, 2);
});

test('policies: CreatePolicy with Tags, GetPolicy, TagPolicy with case-sensitive keys, UntagPolicy, AWS managed refused', async () => {
  const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'tagged-policy', Path: '/keyloop/', PolicyDocument: document, Tags: [{ Key: 'run', Value: 'r1' }] }));
  const arn = created.Policy!.Arn!;
  assert.equal(created.Policy!.Tags, [{ Key: 'run', Value: 'r1' }]);
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.Tags, [{ Key: 'run', Value: 'r1' }]);
  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'RUN', Value: 'r2' }] }));
  assert.equal((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'RUN', Value: 'r2' }, { Key: 'run', Value: 'r1' }]);
  await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['RUN'] }));
  assert.equal((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'run', Value: 'r1' }]);

  const managed = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
  assert.equal((await iam.send(new ListPolicyTagsCommand({ PolicyArn: managed }))).Tags, []);
  assert.is((await errorOf(iam.send(new TagPolicyCommand({ PolicyArn: managed, Tags: tags(1) })))).code, 'AccessDenied');
  assert.is((await errorOf(iam.send(new ListPolicyTagsCommand({ PolicyArn: 'arn:aws:iam::123456789012:policy/none' })))).code, 'NoSuchEntity');
  assert.is((await errorOf(iam.send(new CreatePolicyCommand({ PolicyName: 'p51', PolicyDocument: document, Tags: tags(51) })))).code, 'ValidationError');
});

test('deleting a user or policy deletes its tags; a new entity of the same name starts untagged', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'reborn', Tags: tags(2) }));
  await iam.send(new DeleteUserCommand({ UserName: 'reborn' }));
  await iam.send(new CreateUserCommand({ UserName: 'reborn' }));
  assert.equal((await iam.send(new ListUserTagsCommand({ UserName: 'reborn' }))).Tags, []);
  const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'reborn', PolicyDocument: document, Tags: tags(2) }))).Policy!.Arn!;
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'reborn', PolicyDocument: document }));
  assert.equal((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, []);
});

test('a state file of schema version 1 is upgraded when opened, keeping its users', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'keyloop-iam-tags-'));
  try {
    const first = await startTestServer({ stateDir });
    await iamClient(first).send(new CreateUserCommand({ UserName: 'old' }));
    await first.close();
    const db = new Database(join(stateDir, STATE_FILE));
    db.exec('DROP TABLE user_tags; DROP TABLE policy_tags; PRAGMA user_version = 1;');
    db.close();

    const second = await startTestServer({ stateDir });
    try {
      const again = iamClient(second);
      await again.send(new TagUserCommand({ UserName: 'old', Tags: [{ Key: 'migrated', Value: 'yes' }] }));
      assert.equal((await again.send(new ListUserTagsCommand({ UserName: 'old' }))).Tags, [{ Key: 'migrated', Value: 'yes' }]);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
