/**
 * The demo's storage: a small interface (users, credential records, single-use challenges) and an
 * embedded SQLite implementation through sql.js (SQLite compiled to WebAssembly: installs from the
 * npm registry alone, no native build). A server database can implement the same interface.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';

export interface User {
  id: number;
  rpId: string;
  username: string;
  /** The WebAuthn user handle, base64url. */
  userHandle: string;
  /** Epoch ms until which withdrawals are on hold, or null. */
  holdUntil: number | null;
}

export interface StoredCredential {
  id: string;
  userId: number;
  rpId: string;
  name: string;
  publicKey: string;
  algorithm: number;
  signCount: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backupState: boolean;
  uvInitialized: boolean;
  /** What the registration's attestation statement established (format, type, trusted). */
  attestation: { format: string; type: string; trusted: boolean };
  createdAt: number;
  lastUsedAt: number | null;
}

export interface StoredChallenge {
  id: string;
  sessionId: string;
  purpose: string;
  /** The IssuedRegistrationExpectations / IssuedAuthenticationExpectations, plus demo context. */
  data: Record<string, unknown>;
  expiresAt: number;
}

export interface Storage {
  createUser(rpId: string, username: string, userHandle: string): User | undefined;
  userById(id: number): User | undefined;
  userByName(rpId: string, username: string): User | undefined;
  userByHandle(rpId: string, userHandle: string): User | undefined;
  setHold(userId: number, until: number | null): void;
  addCredential(credential: StoredCredential): boolean;
  credential(rpId: string, id: string): StoredCredential | undefined;
  credentialsOf(userId: number): StoredCredential[];
  renameCredential(userId: number, id: string, name: string): boolean;
  removeCredential(userId: number, id: string): boolean;
  /**
   * Compare-and-set of the sign counter: succeeds only when the stored counter is still
   * `expectedSignCount`, so two concurrent sign-ins with the same counter cannot both pass.
   */
  updateAfterSignIn(
    id: string,
    expectedSignCount: number,
    update: { signCount: number; backupState: boolean; uvInitialized: boolean; lastUsedAt: number },
  ): boolean;
  saveChallenge(challenge: StoredChallenge): void;
  /** Returns and deletes the challenge (single use); undefined when unknown, used or expired. */
  takeChallenge(id: string, sessionId: string, now: number): StoredChallenge | undefined;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT, rp_id TEXT NOT NULL, username TEXT NOT NULL,
  user_handle TEXT NOT NULL, hold_until INTEGER, UNIQUE (rp_id, username), UNIQUE (rp_id, user_handle));
CREATE TABLE IF NOT EXISTS credentials (
  id TEXT NOT NULL, rp_id TEXT NOT NULL, user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  public_key TEXT NOT NULL, algorithm INTEGER NOT NULL, sign_count INTEGER NOT NULL, transports TEXT NOT NULL,
  aaguid TEXT NOT NULL, backup_eligible INTEGER NOT NULL, backup_state INTEGER NOT NULL,
  uv_initialized INTEGER NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER,
  attestation TEXT NOT NULL DEFAULT '{"format":"none","type":"none","trusted":false}', PRIMARY KEY (id));
CREATE TABLE IF NOT EXISTS challenges (
  id TEXT PRIMARY KEY, session_id TEXT NOT NULL, purpose TEXT NOT NULL, data TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
`;

type Row = Record<string, unknown>;

export class SqlJsStorage implements Storage {
  private constructor(
    private readonly db: Database,
    private readonly file: string | undefined,
  ) {}

  /** Opens (or creates) the database; `file` undefined keeps it in memory. */
  static async open(file?: string): Promise<SqlJsStorage> {
    const SQL = await initSqlJs();
    const db = file && existsSync(file) ? new SQL.Database(readFileSync(file)) : new SQL.Database();
    db.run(SCHEMA);
    // Databases made before the attestation column: add it.
    const columns = db.exec('PRAGMA table_info(credentials)')[0]?.values.map((row) => String(row[1])) ?? [];
    if (!columns.includes('attestation')) {
      db.run(`ALTER TABLE credentials ADD COLUMN attestation TEXT NOT NULL DEFAULT '{"format":"none","type":"none","trusted":false}'`);
    }
    return new SqlJsStorage(db, file);
  }

  private all(sql: string, params: (string | number | null)[] = []): Row[] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as Row);
      return rows;
    } finally {
      stmt.free();
    }
  }

  private write(sql: string, params: (string | number | null)[]): number {
    this.db.run(sql, params);
    const changed = this.db.getRowsModified();
    this.persist();
    return changed;
  }

  private persist(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, this.db.export());
  }

  private toUser(row: Row | undefined): User | undefined {
    if (!row) return undefined;
    return {
      id: Number(row.id),
      rpId: String(row.rp_id),
      username: String(row.username),
      userHandle: String(row.user_handle),
      holdUntil: row.hold_until == null ? null : Number(row.hold_until),
    };
  }

  private toCredential(row: Row | undefined): StoredCredential | undefined {
    if (!row) return undefined;
    return {
      id: String(row.id),
      userId: Number(row.user_id),
      rpId: String(row.rp_id),
      name: String(row.name),
      publicKey: String(row.public_key),
      algorithm: Number(row.algorithm),
      signCount: Number(row.sign_count),
      transports: JSON.parse(String(row.transports)) as string[],
      aaguid: String(row.aaguid),
      backupEligible: row.backup_eligible === 1,
      backupState: row.backup_state === 1,
      uvInitialized: row.uv_initialized === 1,
      attestation: JSON.parse(String(row.attestation)) as StoredCredential['attestation'],
      createdAt: Number(row.created_at),
      lastUsedAt: row.last_used_at == null ? null : Number(row.last_used_at),
    };
  }

  createUser(rpId: string, username: string, userHandle: string): User | undefined {
    if (this.userByName(rpId, username)) return undefined;
    this.write('INSERT INTO users (rp_id, username, user_handle) VALUES (?, ?, ?)', [rpId, username, userHandle]);
    return this.userByName(rpId, username);
  }
  userById(id: number): User | undefined {
    return this.toUser(this.all('SELECT * FROM users WHERE id = ?', [id])[0]);
  }
  userByName(rpId: string, username: string): User | undefined {
    return this.toUser(this.all('SELECT * FROM users WHERE rp_id = ? AND username = ?', [rpId, username])[0]);
  }
  userByHandle(rpId: string, userHandle: string): User | undefined {
    return this.toUser(this.all('SELECT * FROM users WHERE rp_id = ? AND user_handle = ?', [rpId, userHandle])[0]);
  }
  setHold(userId: number, until: number | null): void {
    this.write('UPDATE users SET hold_until = ? WHERE id = ?', [until, userId]);
  }
  addCredential(c: StoredCredential): boolean {
    if (this.all('SELECT id FROM credentials WHERE id = ?', [c.id]).length > 0) return false;
    this.write(
      `INSERT INTO credentials (id, rp_id, user_id, name, public_key, algorithm, sign_count, transports, aaguid,
        backup_eligible, backup_state, uv_initialized, attestation, created_at, last_used_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      [
        c.id,
        c.rpId,
        c.userId,
        c.name,
        c.publicKey,
        c.algorithm,
        c.signCount,
        JSON.stringify(c.transports),
        c.aaguid,
        c.backupEligible ? 1 : 0,
        c.backupState ? 1 : 0,
        c.uvInitialized ? 1 : 0,
        JSON.stringify(c.attestation),
        c.createdAt,
        c.lastUsedAt,
      ],
    );
    return true;
  }
  credential(rpId: string, id: string): StoredCredential | undefined {
    return this.toCredential(this.all('SELECT * FROM credentials WHERE rp_id = ? AND id = ?', [rpId, id])[0]);
  }
  credentialsOf(userId: number): StoredCredential[] {
    return this.all('SELECT * FROM credentials WHERE user_id = ? ORDER BY created_at', [userId]).map(
      (row) => this.toCredential(row)!,
    );
  }
  renameCredential(userId: number, id: string, name: string): boolean {
    return this.write('UPDATE credentials SET name = ? WHERE user_id = ? AND id = ?', [name, userId, id]) === 1;
  }
  removeCredential(userId: number, id: string): boolean {
    return this.write('DELETE FROM credentials WHERE user_id = ? AND id = ?', [userId, id]) === 1;
  }
  updateAfterSignIn(
    id: string,
    expectedSignCount: number,
    u: { signCount: number; backupState: boolean; uvInitialized: boolean; lastUsedAt: number },
  ): boolean {
    const changed = this.write(
      `UPDATE credentials SET sign_count = ?, backup_state = ?, uv_initialized = ?, last_used_at = ?
       WHERE id = ? AND sign_count = ?`,
      [u.signCount, u.backupState ? 1 : 0, u.uvInitialized ? 1 : 0, u.lastUsedAt, id, expectedSignCount],
    );
    return changed === 1;
  }
  saveChallenge(c: StoredChallenge): void {
    this.write('DELETE FROM challenges WHERE expires_at <= ?', [Date.now()]);
    this.write('INSERT INTO challenges (id, session_id, purpose, data, expires_at) VALUES (?, ?, ?, ?, ?)', [
      c.id,
      c.sessionId,
      c.purpose,
      JSON.stringify(c.data),
      c.expiresAt,
    ]);
  }
  takeChallenge(id: string, sessionId: string, now: number): StoredChallenge | undefined {
    const row = this.all('SELECT * FROM challenges WHERE id = ?', [id])[0];
    if (!row) return undefined;
    // Consumed on first use, whatever the outcome.
    this.write('DELETE FROM challenges WHERE id = ?', [id]);
    if (String(row.session_id) !== sessionId || Number(row.expires_at) <= now) return undefined;
    return {
      id,
      sessionId,
      purpose: String(row.purpose),
      data: JSON.parse(String(row.data)) as Record<string, unknown>,
      expiresAt: Number(row.expires_at),
    };
  }
}
