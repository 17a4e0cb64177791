import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificateInput } from '../../src/low-level.js';
import { fixturesDir, interopVectorsDir, runCli } from './run-cli.js';

const vectors = interopVectorsDir();
const tmp = mkdtempSync(join(tmpdir(), 'webauthn-verify-cli-'));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const registrationVector = readJson(join(vectors, 'w3c-packed-es256.json'));
const authenticationVector = readJson(join(vectors, 'pyw-auth-rs256-windows-hello-2019.json'));

function write(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

async function inspectJson(path: string) {
  const run = await runCli(['inspect', '--json', path]);
  return { ...run, output: JSON.parse(run.stdout) };
}

describe('cli inspect: each input kind', () => {
  it('an interop vector: clientData, authData, attStmt, x5c and anchors annotated', async () => {
    const run = await runCli(['inspect', join(vectors, 'w3c-packed-es256.json')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Interop vector \(/);
    for (const text of [
      'type: webauthn.create',
      'rpIdHash: bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5',
      'UP (user present): true',
      'BS (backup state): false',
      'signCount: 0',
      'aaguid: 876ca4f5-2071-c3e9-b255-09ef2cdf7ed6',
      'alg: ES256 (-7)',
      'crv: P-256 (1)',
      'size: 256 bits',
      'fmt: packed',
      'name: basicConstraints',
      'critical: true',
      'sha256Fingerprint: F0:F5:17:57',
      'trustAnchors',
    ]) {
      expect(run.stdout).toContain(text);
    }
  });

  it('a fixture vector', async () => {
    const run = await runCli(['inspect', join(fixturesDir, 'registration', 'syn-none-es256.json')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('fmt: none');
  });

  it('a RegistrationResponseJSON', async () => {
    const { status, output } = await inspectJson(write('registration.json', JSON.stringify(registrationVector.response)));
    expect(status).toBe(0);
    expect(output.kind).toBe('registration-response');
    expect(output.value.attestationObject.fmt).toBe('packed');
  });

  it('an AuthenticationResponseJSON', async () => {
    const { status, output } = await inspectJson(write('authentication.json', JSON.stringify(authenticationVector.response)));
    expect(status).toBe(0);
    expect(output.kind).toBe('authentication-response');
    expect(output.value.authenticatorData.flags['UP (user present)']).toBe(true);
    expect(output.value.signature.length).toBeGreaterThan(0);
  });

  it('bare base64url attestationObject, authenticatorData and clientDataJSON', async () => {
    const r = registrationVector.response.response;
    const cases = [
      ['attestation-object', r.attestationObject],
      ['authenticator-data', `${authenticationVector.response.response.authenticatorData}\n`],
      ['client-data-json', r.clientDataJSON],
    ] as const;
    for (const [kind, text] of cases) {
      const { status, output } = await inspectJson(write(`${kind}.txt`, text));
      expect([kind, status]).toEqual([kind, 0]);
      expect(output.kind).toBe(kind);
    }
  });

  it('PEM and DER certificates', async () => {
    const pem = registrationVector.trustAnchors[0] as string;
    const der = parseCertificateInput(pem).der;
    for (const [name, content] of [
      ['root.pem', pem],
      ['root.der', der],
    ] as const) {
      const { status, output } = await inspectJson(write(name, content));
      expect(status).toBe(0);
      expect(output.kind).toBe('certificate');
      expect(output.value.subject).toContain('CN=WebAuthn test vectors');
      expect(output.value.basicConstraints).toEqual({ ca: true });
      expect(output.value.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    }
  });

  it('stdin with -', async () => {
    const run = await runCli(['inspect', '-'], { stdin: registrationVector.response.response.clientDataJSON });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^clientDataJSON \(stdin\)/);
  });
});

describe('cli inspect --json', () => {
  it('has the shape {input, kind, value} with bytes as hex or base64url', async () => {
    const { output } = await inspectJson(join(vectors, 'w3c-packed-es256.json'));
    expect(Object.keys(output)).toEqual(['input', 'kind', 'value']);
    expect(output.kind).toBe('vector');
    const attestationObject = output.value.response.attestationObject;
    expect(attestationObject.authData.rpIdHash).toMatch(/^[0-9a-f]{64}$/);
    expect(attestationObject.authData.flags.raw).toBe('0x4d');
    expect(attestationObject.authData.attestedCredentialData.credentialId.base64url).toBe(registrationVector.response.rawId);
    expect(attestationObject.authData.attestedCredentialData.credentialPublicKey).toMatchObject({
      kty: 'EC2 (2)',
      alg: 'ES256 (-7)',
      crv: 'P-256 (1)',
    });
    expect(attestationObject.attStmt.alg).toBe('ES256 (-7)');
    expect(attestationObject.attStmt.sig.hex).toMatch(/^30[0-9a-f]+$/);
    expect(attestationObject.attStmt.x5c[0].extensions[0]).toEqual({ oid: '2.5.29.19', name: 'basicConstraints', critical: true });
  });

  it('a part that does not decode strictly is shown with its error, exit 1', async () => {
    const { status, output } = await inspectJson(join(vectors, 'pyw-auth-es256-u2f-webauthn-io-2019.json'));
    expect(status).toBe(1);
    expect(output.value.credential.publicKey.error).toMatchObject({ code: 'ERR_COSE_KEY_INVALID', step: '5.8.5' });
    expect(output.value.credential.publicKey.raw['alg (3)']).toBe('ES256 (-7)');
  });
});

describe('cli inspect: bad input is one line on stderr, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['inspect', join(tmp, 'missing.json')], /cannot read .*no such file/],
    ['an unknown JSON shape', ['inspect', write('other.json', '{"hello":1}')], /unknown JSON shape/],
    ['invalid JSON', ['inspect', write('broken.json', '{"hello":')], /not valid JSON/],
    ['unrecognisable text', ['inspect', write('text.txt', 'hello, world!')], /unknown input/],
    ['no file', ['inspect'], /exactly one file/],
    ['an unknown flag', ['inspect', '--yaml', 'x'], /unknown option "--yaml"/],
    ['an unknown command', ['frobnicate'], /unknown command/],
    ['no command', [], /no command/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const run = await runCli(argv);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^webauthn-verify: /);
    });
  }

  it('--help prints usage, exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('webauthn-verify inspect');
  });
});
