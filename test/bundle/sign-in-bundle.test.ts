/**
 * Issue 10, item 3: what an application that imports only `verifyAuthenticationResponse` bundles
 * (esbuild, platform neutral as Workers and Deno resolve it, code splitting on). Structure only —
 * which packages and modules load with the entry — never sizes: `npm run bench` prints and
 * enforces the byte budget.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundle, inputsIn, packagesIn, staticClosure } from './build-bundle.js';

const SIGN_IN = "export { verifyAuthenticationResponse } from './src/index.js';";

let signIn: BundleResult;
let entry: string[];

beforeAll(async () => {
  signIn = await bundle({ entry: SIGN_IN, backend: 'web', platform: 'neutral', minify: true });
  entry = staticClosure(signIn.metafile);
}, 60_000);

describe('sign-in-only bundle (portable backend)', () => {
  it('its entry holds no registration code: no pkijs, asn1js, x509 or attestation module', () => {
    const packages = packagesIn(signIn.metafile, entry);
    for (const name of ['pkijs', 'asn1js', 'bytestreamjs']) expect(packages.has(name), name).toBe(false);
    const inputs = [...inputsIn(signIn.metafile, entry)];
    expect(inputs.filter((path) => /^src\/(x509|attestation|cli)\//.test(path))).toEqual([]);
    expect(inputs).toContain('src/ceremony/verify-authentication.ts');
  });

  it('its entry holds no @noble/curves, @noble/post-quantum or CBOR library: they load on first use', () => {
    const packages = packagesIn(signIn.metafile, entry);
    for (const name of ['@noble/curves', '@noble/post-quantum', 'cbor-x', 'cbor-extract']) expect(packages.has(name), name).toBe(false);
    // The only package the entry needs: @noble/hashes for synchronous SHA-256.
    expect([...packages]).toEqual(['@noble/hashes']);
  });

  it('the @noble fallbacks are split into chunks reached only through import()', () => {
    const lazy = Object.keys(signIn.metafile.outputs).filter((path) => path.endsWith('.js') && !entry.includes(path));
    const lazyPackages = packagesIn(signIn.metafile, lazy);
    expect(lazyPackages.has('@noble/curves')).toBe(true);
    expect(lazyPackages.has('@noble/post-quantum')).toBe(true);
    const lazyInputs = inputsIn(signIn.metafile, lazy);
    for (const file of ['src/crypto/noble-secp256k1.ts', 'src/crypto/noble-edwards.ts']) expect(lazyInputs.has(file), file).toBe(true);
    const dynamic = Object.values(signIn.metafile.outputs).flatMap((out) => out.imports.filter((i) => i.kind === 'dynamic-import'));
    expect(dynamic.length).toBeGreaterThanOrEqual(3);
  });

  it('the portable backend is the one bundled: no node: module anywhere', () => {
    const inputs = [...inputsIn(signIn.metafile)];
    expect(inputs).toContain('src/crypto/backend-web.ts');
    expect(inputs).not.toContain('src/crypto/backend-node.ts');
    const imports = Object.values(signIn.metafile.outputs).flatMap((out) => out.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
  });
});

describe('the whole API, for contrast', () => {
  it('registration brings asn1js in statically and pkijs through import() (so the checks above can see them)', async () => {
    const all = await bundle({ entry: "export * from './src/index.js';", backend: 'web', platform: 'neutral' });
    const packages = packagesIn(all.metafile, staticClosure(all.metafile));
    expect(packages.has('asn1js')).toBe(true);
    // pkijs is imported on the first certificate signature check (src/x509/signature.ts).
    expect(packages.has('pkijs')).toBe(false);
    expect(packagesIn(all.metafile).has('pkijs')).toBe(true);
  });
});
