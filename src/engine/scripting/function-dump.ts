/**
 * FUNCTION DUMP / RESTORE payloads (functions.c, rdbSaveFunctions,
 * rdbFunctionLoad): per library RDB_OPCODE_FUNCTION2 then its code as an RDB
 * string, then the RDB version (2 bytes LE) and the CRC64 (8 bytes LE), as a
 * key's DUMP payload ends.
 */
import type { Bytes } from '../../protocol/index.js';
import { CommandError, Err } from '../errors.js';
import { crc64Bytes } from '../rdb/crc64.js';
import { fromU8, toU8 } from '../rdb/bytes.js';
import { RdbWriter, RDB_VERSION } from '../rdb/dump.js';
import { BadPayload, RdbReader, verifyDumpPayload } from '../rdb/restore.js';
import type { FunctionInfo, Library, Scripting } from './scripting.js';

const RDB_OPCODE_FUNCTION2 = 245;
const RDB_OPCODE_FUNCTION_PRE_GA = 246;

export function dumpFunctions(s: Scripting, compression: boolean): Bytes {
  const r = new RdbWriter(compression);
  for (const lib of s.libraries.values()) {
    r.w.byte(RDB_OPCODE_FUNCTION2);
    r.string(lib.code);
  }
  r.w.uintLE(RDB_VERSION, 2);
  r.w.bytes(crc64Bytes(r.w.view()));
  return fromU8(r.w.view());
}

export function restoreFunctions(s: Scripting, payload: Bytes, policy: 'append' | 'replace' | 'flush'): void {
  const p = toU8(payload);
  if (verifyDumpPayload(p, true) === null) throw Err.generic('DUMP payload version or checksum are wrong');
  const libs = new Map<string, Library>();
  const fns = new Map<string, FunctionInfo>();
  const rd = new RdbReader(p, p.length - 10);
  try {
    while (p.length - rd.pos > 10) {
      const type = rd.byte();
      if (type === RDB_OPCODE_FUNCTION_PRE_GA) throw Err.generic('Pre-GA function format not supported');
      if (type !== RDB_OPCODE_FUNCTION2) throw Err.generic('given type is not a function');
      let code: Bytes;
      try {
        code = rd.str();
      } catch {
        throw Err.generic('Failed loading library payload');
      }
      s.loadLibrary(code, false, libs, fns);
    }
  } catch (e) {
    if (e instanceof CommandError) throw e;
    if (e instanceof BadPayload) throw Err.generic('can not read data type');
    throw Err.generic('can not read data type');
  }
  if (policy === 'flush') {
    s.libraries.clear();
    s.functions.clear();
    for (const [k, v] of libs) s.libraries.set(k, v);
    for (const [k, v] of fns) s.functions.set(k, v);
    return;
  }
  const replaced: Library[] = [];
  for (const lib of libs.values()) {
    const old = s.libraries.get(lib.name);
    if (!old) continue;
    if (policy !== 'replace') throw Err.generic(`Library ${lib.name} already exists`);
    replaced.push(old);
  }
  const gone = new Set(replaced);
  for (const f of fns.values()) {
    const other = s.functions.get(f.name.toLowerCase());
    if (other && !gone.has(other.lib)) throw Err.generic(`Function ${f.name} already exists`);
  }
  for (const old of replaced) {
    for (const name of old.functions.keys()) s.functions.delete(name.toLowerCase());
    s.libraries.delete(old.name);
  }
  for (const [k, v] of libs) s.libraries.set(k, v);
  for (const [k, v] of fns) s.functions.set(k, v);
}
