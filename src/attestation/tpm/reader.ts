/** A bounds-checked big-endian reader for TPM 2.0 structures (TPM 2.0 Part 2, "Marshaling"). */
import { fail, type WebAuthnErrorCode } from '../../errors.js';

const STEP = '8.3';

/**
 * Reads TPM structures field by field. Every read checks the remaining length first, so a
 * truncated structure or an oversized TPM2B size fails with the reader's error code before any
 * slice is taken (checklist H.73); {@link TpmReader.end} rejects trailing bytes.
 */
export class TpmReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly code: WebAuthnErrorCode,
    private readonly structure: string,
  ) {}

  private take(length: number, field: string): Uint8Array {
    if (length > this.bytes.length - this.offset) {
      fail(this.code, `${this.structure} is truncated: ${field} needs ${length} bytes, ${this.bytes.length - this.offset} remain`, {
        step: STEP,
        details: { field, offset: this.offset },
      });
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** The offset of the next field. */
  get position(): number {
    return this.offset;
  }

  u8(field: string): number {
    return this.take(1, field)[0] as number;
  }

  u16(field: string): number {
    const b = this.take(2, field);
    return ((b[0] as number) << 8) | (b[1] as number);
  }

  u32(field: string): number {
    const b = this.take(4, field);
    return (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
  }

  u64(field: string): bigint {
    const b = this.take(8, field);
    let value = 0n;
    for (const byte of b) value = (value << 8n) | BigInt(byte);
    return value;
  }

  /** A TPM2B: a u16 size, then that many bytes (copied). */
  tpm2b(field: string): Uint8Array {
    const size = this.u16(`${field}.size`);
    return this.take(size, field).slice();
  }

  /** Rejects bytes left after the structure. */
  end(): void {
    if (this.offset !== this.bytes.length) {
      fail(this.code, `${this.structure} has ${this.bytes.length - this.offset} trailing bytes`, {
        step: STEP,
        details: { field: 'trailing', offset: this.offset },
      });
    }
  }

  /** Fails with the reader's code: a field holds a value its structure does not allow. */
  invalid(field: string, message: string): never {
    fail(this.code, `${this.structure}: ${message}`, { step: STEP, details: { field, offset: this.offset } });
  }
}
