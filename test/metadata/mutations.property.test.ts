/**
 * Property: any change to a signed BLOB is refused with a documented code (never ERR_INTERNAL,
 * never a TypeError or RangeError), and any change to a snapshot's JSON text is either loaded or
 * refused with ERR_METADATA_INVALID.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebAuthnError } from '../../src/errors.js';
import { loadVerifiedMetadata, verifyMetadataBlob } from '../../src/metadata/index.js';
import { createBlobSigningCa, metadataEntry, metadataPayload, signMetadataBlob } from '../helpers/metadata-blob.js';
import { type TestCa, TEST_NOW } from '../helpers/test-ca.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"[]';

let ca: TestCa;
let blob: string;
let snapshotText: string;

beforeAll(async () => {
  ca = await createBlobSigningCa({ name: 'Mutation' });
  const payload = metadataPayload([
    metadataEntry({ aaguid: 'ee882879-721c-4913-9775-3dfcce97072a', roots: [ca.root.der] }),
    metadataEntry({ keyIdentifiers: ['0123456789abcdef0123456789abcdef01234567'] }),
  ]);
  blob = await signMetadataBlob({ payload, signer: ca.leaf, x5c: ca.x5c });
  snapshotText = JSON.stringify(await verifyMetadataBlob(blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW }));
});

const edit = (text: string) =>
  fc
    .tuple(fc.nat({ max: text.length - 1 }), fc.constantFrom(...ALPHABET), fc.constantFrom('replace', 'insert', 'delete'))
    .map(([at, char, kind]) => {
      if (kind === 'insert') return text.slice(0, at) + char + text.slice(at);
      if (kind === 'delete') return text.slice(0, at) + text.slice(at + 1);
      return text.slice(0, at) + char + text.slice(at + 1);
    })
    .filter((mutated) => mutated !== text);

describe('mutations', () => {
  it('every one-character change of a signed BLOB is refused with a documented code', async () => {
    const allowed = new Set(['ERR_METADATA_INVALID', 'ERR_METADATA_ALG_NOT_ALLOWED', 'ERR_METADATA_SIGNATURE_INVALID', 'ERR_METADATA_UNTRUSTED', 'ERR_CERT_MALFORMED', 'ERR_CERT_CHAIN_INVALID', 'ERR_CERT_EXTENSION_INVALID', 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', 'ERR_CERT_EXPIRED', 'ERR_CERT_NOT_YET_VALID']);
    await fc.assert(
      fc.asyncProperty(edit(blob), async (mutated) => {
        const outcome = await verifyMetadataBlob(mutated, { trustAnchors: ca.trustAnchors, now: TEST_NOW }).then(
          () => 'accepted',
          (error: unknown) => (error instanceof WebAuthnError ? error.code : `foreign ${String(error)}`),
        );
        expect(allowed.has(outcome), `${outcome} for a change of the BLOB`).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('every one-character change of a snapshot text loads or is ERR_METADATA_INVALID', () => {
    fc.assert(
      fc.property(edit(snapshotText), (mutated) => {
        try {
          loadVerifiedMetadata(mutated);
        } catch (error) {
          expect(error instanceof WebAuthnError && error.code, String(error)).toBe('ERR_METADATA_INVALID');
        }
      }),
      { numRuns: 500, seed: 12 },
    );
  });
});
