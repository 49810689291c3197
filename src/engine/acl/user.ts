/**
 * An ACL user (acl.c's user): flags, password hashes and selectors (the root
 * selector first), changed one rule at a time as ACLSetUser does.
 */
import { createHash } from 'node:crypto';
import type { Bytes } from '../../protocol/index.js';
import { splitArgs } from '../../protocol/index.js';
import type { CommandTable } from '../registry.js';
import { RuleFailure, Selector } from './selector.js';

/** SHA-256 of the password bytes, as 64 lowercase hex digits (ACLHashPassword). */
export function hashPassword(pass: Bytes): string {
  return createHash('sha256').update(Buffer.from(pass, 'latin1')).digest('hex');
}

/** ACLCheckPasswordHash. */
function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

/** What the rules of a user depend on outside it. */
export interface RuleContext {
  readonly table: CommandTable;
  /** acl-pubsub-default is allchannels. */
  readonly pubsubDefaultAll: boolean;
}

export class User {
  enabled = false;
  disabled = true;
  nopass = false;
  passwords: string[] = [];
  selectors: Selector[];

  constructor(readonly name: Bytes, pubsubDefaultAll: boolean) {
    this.selectors = [new Selector(true, pubsubDefaultAll)];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  /** ACLCopyUser: the rules of `src` (the name stays). */
  copyFrom(src: User): void {
    this.enabled = src.enabled;
    this.disabled = src.disabled;
    this.nopass = src.nopass;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
  }

  clone(name: Bytes = this.name): User {
    const u = new User(name, false);
    u.copyFrom(this);
    return u;
  }

  /** ACLSetUser: one rule; throws RuleFailure. */
  apply(rc: RuleContext, op: string): void {
    if (op.length === 0) return;
    const lop = op.toLowerCase();
    if (lop === 'on') {
      this.enabled = true;
      this.disabled = false;
    } else if (lop === 'off') {
      this.disabled = true;
      this.enabled = false;
    } else if (lop === 'skip-sanitize-payload' || lop === 'sanitize-payload') {
      // Deprecated, accepted for old ACL files.
    } else if (lop === 'nopass') {
      this.nopass = true;
      this.passwords = [];
    } else if (lop === 'resetpass') {
      this.nopass = false;
      this.passwords = [];
    } else if (op[0] === '>' || op[0] === '#') {
      let h: string;
      if (op[0] === '>') {
        h = hashPassword(op.slice(1));
      } else {
        h = op.slice(1);
        if (!validHash(h)) throw new RuleFailure('EBADMSG');
      }
      if (!this.passwords.includes(h)) this.passwords.push(h);
      this.nopass = false;
    } else if (op[0] === '<' || op[0] === '!') {
      let h: string;
      if (op[0] === '<') {
        h = hashPassword(op.slice(1));
      } else {
        h = op.slice(1);
        if (!validHash(h)) throw new RuleFailure('EBADMSG');
      }
      const i = this.passwords.indexOf(h);
      if (i < 0) throw new RuleFailure('ENODEV');
      this.passwords.splice(i, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      const s = new Selector(false, rc.pubsubDefaultAll);
      const inner = Buffer.from(op.slice(1, -1), 'latin1');
      // sdsnsplitargs: unbalanced quotes give no rules at all.
      for (const r of splitArgs(inner, 0, inner.length) ?? []) s.apply(rc.table, r);
      this.selectors.push(s);
    } else if (lop === 'clearselectors') {
      this.selectors.length = 1;
    } else if (lop === 'reset') {
      this.apply(rc, 'resetpass');
      this.apply(rc, 'resetkeys');
      this.apply(rc, 'resetchannels');
      if (rc.pubsubDefaultAll) this.apply(rc, 'allchannels');
      this.apply(rc, 'alldbs');
      this.apply(rc, 'off');
      this.apply(rc, 'clearselectors');
      this.apply(rc, '-@all');
    } else {
      this.root.apply(rc.table, op);
    }
  }

  /** ACLDescribeUser: flags, password hashes, the root selector, then (selectors). */
  describe(): string {
    let res = '';
    if (this.enabled) res += 'on ';
    if (this.disabled) res += 'off ';
    if (this.nopass) res += 'nopass ';
    for (const p of this.passwords) res += `#${p} `;
    for (const s of this.selectors) res += s.root ? s.describe() : ` (${s.describe()})`;
    return res;
  }

  /** ACLCheckUserCredentials for this user. */
  checkPassword(pass: Bytes): boolean {
    if (this.disabled) return false;
    if (this.nopass) return true;
    return this.passwords.includes(hashPassword(pass));
  }
}

/**
 * ACLMergeSelectorArguments: a selector spread over several arguments
 * ("(+get", "~k)") becomes one. Returns the index of an unclosed "(" instead.
 */
export function mergeSelectorArgs(args: readonly string[]): string[] | { unmatched: number } {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (open === -1 && op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ' ' + op;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(sel);
      }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { unmatched: open };
  return out;
}
