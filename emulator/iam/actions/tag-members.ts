// The `Tags` member that CreateUser, CreatePolicy, TagUser and TagPolicy share (IAM API Reference,
// data type Tag: Key 1 to 128 and Value 0 to 256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; at
// most 50 in a request), and the `Tags` field of a User or Policy in a response.
import { TAGS_PER_RESOURCE, type Tag } from '../store/tags.ts';
import { required, str, structs, type Params } from '../validation.ts';
import type { XmlObject } from '../xml.ts';

export const tagKey = str({ min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' });
const tagValue = str({ min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' });

/** The `Tags` member: `Tags.member.N.Key` and `Tags.member.N.Value`. */
export const tagsParam = structs({ fields: { Key: required(tagKey), Value: required(tagValue) }, maxItems: TAGS_PER_RESOURCE });

/** The tags of a validated request; empty when it has none. */
export const requestTags = (params: Params): Tag[] =>
  params.structs('Tags').map((member) => ({ key: member.get('Key')!, value: member.get('Value')! }));

export const tagShape = (tag: Tag): XmlObject => ({ Key: tag.key, Value: tag.value });

/** The `Tags` field of a User or Policy: left out when there are none, as AWS does. */
export const tagsField = (tags: readonly Tag[]): XmlObject[] | undefined => (tags.length > 0 ? tags.map(tagShape) : undefined);

