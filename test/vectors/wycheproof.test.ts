/**
 * Project Wycheproof (testvectors_v1, the WebAuthn subset in ../shared/wycheproof): every test of
 * every file through verifySignature, with a COSE_Key built from the group's raw key and the COSE
 * algorithm of the file. valid → must verify; invalid → must be rejected (ERR_SIGNATURE_INVALID,
 * or ERR_COSE_KEY_INVALID when the key itself is refused: counted).
 *
 * Policy for `acceptable`: the only ones are MissingNull (PKCS#1 DigestInfo without the NULL
 * parameters): rejected, as OpenSSL and WebCrypto do. e = 3 keys (SmallPublicKey) are accepted by
 * the key rule (odd 3 ≤ e < 2^32), so their valid tests must verify.
 *
 * Folder from WYCHEPROOF_DIR, default ../shared/wycheproof next to the repository; missing → failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../../src/crypto/backend.js';
import { createWebBackend } from '../../src/crypto/backend-web.js';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { verifySignature } from '../../src/crypto/verify-signature.js';
import { WebAuthnError } from '../../src/errors.js';
import { encodeCose } from '../helpers/keys.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = resolve(root, process.env.WYCHEPROOF_DIR ?? '../shared/wycheproof');

interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

interface WycheproofGroup {
  type: string;
  sha?: string;
  sLen?: number;
  publicKey: {
    curve?: string;
    uncompressed?: string;
    pk?: string;
    modulus?: string;
    publicExponent?: string;
  };
  tests: WycheproofTest[];
}

interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

const CURVES: Record<string, { crv: number; alg: number; size: number }> = {
  secp256r1: { crv: 1, alg: -7, size: 32 },
  secp384r1: { crv: 2, alg: -35, size: 48 },
  secp521r1: { crv: 3, alg: -36, size: 66 },
  secp256k1: { crv: 8, alg: -47, size: 32 },
};

const RSA_ALGS: Record<string, Record<string, number>> = {
  'RSASSA-PKCS1-v1_5': { 'SHA-256': -257, 'SHA-384': -258, 'SHA-512': -259 },
  'RSASSA-PSS': { 'SHA-256': -37, 'SHA-384': -38, 'SHA-512': -39 },
};

/** The COSE_Key bytes for a group's key, with the COSE algorithm the file exercises. */
function coseKeyOf(file: WycheproofFile, group: WycheproofGroup): Uint8Array {
  const key = group.publicKey;
  switch (file.algorithm) {
    case 'ECDSA': {
      const curve = CURVES[key.curve as string];
      if (curve === undefined) throw new Error(`unexpected curve ${key.curve}`);
      const point = hex(key.uncompressed as string);
      if (point.length !== 1 + 2 * curve.size || point[0] !== 0x04) throw new Error('unexpected point encoding');
      return encodeCose([
        [1, 2],
        [3, curve.alg],
        [-1, curve.crv],
        [-2, point.subarray(1, 1 + curve.size)],
        [-3, point.subarray(1 + curve.size)],
      ]);
    }
    case 'EDDSA':
      return encodeCose([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, hex(key.pk as string)],
      ]);
    case 'RSASSA-PKCS1-v1_5':
    case 'RSASSA-PSS': {
      const alg = RSA_ALGS[file.algorithm]?.[group.sha as string];
      if (alg === undefined) throw new Error(`unexpected hash ${group.sha}`);
      let n = hex(key.modulus as string);
      while (n[0] === 0) n = n.subarray(1); // the sign byte
      let e = hex(key.publicExponent as string);
      while (e[0] === 0) e = e.subarray(1);
      return encodeCose([
        [1, 3],
        [3, alg],
        [-1, n],
        [-2, e],
      ]);
    }
    default:
      throw new Error(`unexpected algorithm ${file.algorithm}`);
  }
}

type Verdict = 'accept' | 'reject-signature' | 'reject-key';

async function judge(
  verify: (cose: Uint8Array, msg: Uint8Array, sig: Uint8Array) => Promise<void>,
  cose: Uint8Array,
  test: WycheproofTest,
): Promise<Verdict> {
  try {
    await verify(cose, hex(test.msg), hex(test.sig));
    return 'accept';
  } catch (error) {
    if (error instanceof WebAuthnError && error.code === 'ERR_SIGNATURE_INVALID') return 'reject-signature';
    if (error instanceof WebAuthnError && error.code === 'ERR_COSE_KEY_INVALID') return 'reject-key';
    throw error;
  }
}

interface Tally {
  tests: number;
  agree: number;
  disagree: string[];
  keyRefused: number;
  acceptableRejected: number;
}

async function runFile(
  name: string,
  verify: (cose: Uint8Array, msg: Uint8Array, sig: Uint8Array) => Promise<void>,
): Promise<Tally> {
  const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as WycheproofFile;
  const tally: Tally = { tests: 0, agree: 0, disagree: [], keyRefused: 0, acceptableRejected: 0 };
  for (const group of file.testGroups) {
    const cose = coseKeyOf(file, group);
    const verdicts = await Promise.all(group.tests.map((test) => judge(verify, cose, test)));
    group.tests.forEach((test, i) => {
      const verdict = verdicts[i] as Verdict;
      tally.tests++;
      if (verdict === 'reject-key') tally.keyRefused++;
      // acceptable: the only case is MissingNull, which this library rejects.
      const expected = test.result === 'valid' ? 'accept' : 'reject';
      if (test.result === 'acceptable') {
        expect(test.flags).toEqual(['MissingNull']);
        if (verdict !== 'accept') tally.acceptableRejected++;
      }
      if ((expected === 'accept') === (verdict === 'accept')) tally.agree++;
      else tally.disagree.push(`tcId ${test.tcId} (${test.result}, ${test.flags.join('+')}: ${test.comment}) → ${verdict}`);
    });
  }
  expect(tally.tests).toBe(file.numberOfTests);
  return tally;
}

const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('_test.json')).sort() : [];
const report: string[] = [];

const ALL_ALGS = [-7, -35, -36, -47, -8, -257, -258, -259, -37, -38, -39];
const viaVerifySignature = (cose: Uint8Array, msg: Uint8Array, sig: Uint8Array) =>
  verifySignature(cose, msg, sig, { allowedAlgorithms: ALL_ALGS });

describe(`Wycheproof (${backend.name} backend)`, () => {
  it('finds the Wycheproof folder with its 20 files', () => {
    expect(existsSync(dir), `Wycheproof folder missing: ${dir} (set WYCHEPROOF_DIR)`).toBe(true);
    expect(files.length).toBe(20);
  });

  it.each(files)('%s', async (name) => {
    const tally = await runFile(name, viaVerifySignature);
    report.push(
      `${backend.name.padEnd(4)} ${name.padEnd(42)} tests ${String(tally.tests).padStart(4)}  agree ${String(tally.agree).padStart(4)}  ` +
        `disagree ${tally.disagree.length}  key-refused ${tally.keyRefused}  acceptable→rejected ${tally.acceptableRejected}`,
    );
    expect(tally.disagree).toEqual([]);
    expect(tally.keyRefused).toBe(0);
  });

  // The @noble Ed25519 path of the web backend, used where WebCrypto lacks Ed25519.
  it.each(files.filter((f) => f.startsWith('ed25519')))('%s through the @noble fallback', async (name) => {
    const noble = createWebBackend(undefined);
    const tally = await runFile(name, async (cose, msg, sig) => {
      const prepared = await noble.prepareKey(decodeCoseKey(cose));
      if ((await noble.verify(prepared, msg, sig)) !== true) throw new WebAuthnError('ERR_SIGNATURE_INVALID', 'no');
    });
    report.push(`noble ${name.padEnd(41)} tests ${tally.tests}  agree ${tally.agree}  disagree ${tally.disagree.length}`);
    expect(tally.disagree).toEqual([]);
  });

  afterAll(() => {
    if (report.length > 0) console.log(`Wycheproof tally\n${report.join('\n')}`);
  });
});
