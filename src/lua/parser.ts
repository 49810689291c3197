/** Lua 5.1 parser (lparser.c structure and error texts) producing a resolved AST. */
import type { BinOp, Expr, FuncBody, FuncState, Stat, VarInfo } from './ast.js';
import { Lexer, T, type Token } from './lexer.js';

const MAXCCALLS = 200;
const MAXVARS = 200;
const MAXUPVALUES = 60;

const BINPRI: Record<string, [number, number]> = {
  '+': [6, 6], '-': [6, 6], '*': [7, 7], '/': [7, 7], '%': [7, 7],
  '^': [10, 9], '..': [5, 4],
  '==': [3, 3], '~=': [3, 3], '<': [3, 3], '<=': [3, 3], '>': [3, 3], '>=': [3, 3],
  'and': [2, 2], 'or': [1, 1],
};
const UNARY_PRIORITY = 8;

interface Scope { vars: VarInfo[]; isLoop: boolean }

interface FS extends FuncState {
  scopes: Scope[];
}

export function parse(src: string, chunkid: string): FuncBody {
  return new Parser(src, chunkid).chunk();
}

function foldArith(op: BinOp, a: number, b: number): number | undefined {
  let r: number;
  switch (op) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case '*': r = a * b; break;
    case '/': if (b === 0) return undefined; r = a / b; break;
    case '%': if (b === 0) return undefined; r = a - Math.floor(a / b) * b; break;
    case '^': r = luaPow(a, b); break;
    default: return undefined;
  }
  return r !== r ? undefined : r;
}

/** C pow() semantics where they differ from Math.pow. */
const NEG_NAN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0]!;

export function luaPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  const r = Math.pow(a, b);
  // glibc answers an invalid pow (negative base, fractional exponent) with the default NaN, sign bit set
  return r !== r && a === a && b === b ? NEG_NAN : r;
}

class Parser {
  private readonly lx: Lexer;
  private fs!: FS;
  private nextId = 0;
  private level = 0;

  constructor(src: string, chunkid: string) {
    this.lx = new Lexer(src, chunkid);
  }

  private get tok(): Token { return this.lx.tok; }

  private err(msg: string): never { this.lx.error(msg, this.tok); }

  private enter(): void {
    if (++this.level > MAXCCALLS) this.lx.error('chunk has too many syntax levels', null);
  }
  private leave(): void { this.level--; }

  private isChar(c: string): boolean { return this.tok.t === T.Char && this.tok.s === c; }

  private testNext(c: string): boolean {
    if (this.isChar(c)) { this.lx.next(); return true; }
    return false;
  }

  private checkChar(c: string): void {
    if (!this.isChar(c)) this.err(`'${c}' expected`);
  }

  private checkNextChar(c: string): void { this.checkChar(c); this.lx.next(); }

  private check(t: T, text: string): void {
    if (this.tok.t !== t) this.err(`'${text}' expected`);
  }

  private checkMatch(what: T | string, whatText: string, who: string, line: number): void {
    const ok = typeof what === 'string' ? this.isChar(what) : this.tok.t === what;
    if (!ok) {
      if (line === this.lx.line) this.err(`'${whatText}' expected`);
      else this.err(`'${whatText}' expected (to close '${who}' at line ${line})`);
    }
    this.lx.next();
  }

  private checkName(): string {
    this.check(T.Name, '<name>');
    const s = this.tok.s;
    this.lx.next();
    return s;
  }

  private openFunc(line: number, isVararg: boolean): FS {
    const fs: FS = { parent: this.fs, isVararg, line, upvals: new Set(), nactive: 0, scopes: [] };
    this.fs = fs;
    return fs;
  }

  private openScope(isLoop: boolean): void { this.fs.scopes.push({ vars: [], isLoop }); }
  private closeScope(): void {
    const s = this.fs.scopes.pop()!;
    this.fs.nactive -= s.vars.length;
  }

  private newVar(name: string): VarInfo {
    return { id: this.nextId++, name, fn: this.fs, captured: false };
  }

  private activate(vars: VarInfo[]): void {
    const sc = this.fs.scopes[this.fs.scopes.length - 1]!;
    for (const v of vars) {
      if (this.fs.nactive + 1 > MAXVARS) this.lx.error(`${this.where(this.fs)}too many local variables (limit is ${MAXVARS}) in ${this.fnWhat(this.fs)}`, this.tok);
      sc.vars.push(v);
      this.fs.nactive++;
    }
  }

  private where(_fs: FS): string { return ''; }
  private fnWhat(fs: FS): string { return fs.parent === undefined ? 'main function' : `function at line ${fs.line}`; }

  private resolve(name: string): Expr {
    let fs: FS | undefined = this.fs;
    let depth = 0;
    const chain: FS[] = [];
    while (fs) {
      for (let i = fs.scopes.length - 1; i >= 0; i--) {
        const vars = fs.scopes[i]!.vars;
        for (let j = vars.length - 1; j >= 0; j--) {
          if (vars[j]!.name === name) {
            if (depth === 0) return { k: 'local', v: vars[j]! };
            vars[j]!.captured = true;
            for (const f of chain) {
              if (!f.upvals.has(vars[j]!)) {
                if (f.upvals.size >= MAXUPVALUES) {
                  this.lx.error(`function at line ${f.line} has more than ${MAXUPVALUES} upvalues`, this.tok);
                }
                f.upvals.add(vars[j]!);
              }
            }
            return { k: 'upval', v: vars[j]! };
          }
        }
      }
      chain.push(fs);
      fs = fs.parent as FS | undefined;
      depth++;
    }
    return { k: 'global', name, line: this.lx.line };
  }

  chunk(): FuncBody {
    this.openFunc(0, true);
    this.lx.next();
    this.openScope(false);
    const body = this.block();
    this.check(T.EOF, '<eof>');
    return { upvals: [], params: [], isVararg: true, body, line: 0, lastline: this.lx.line, name: 'main chunk' };
  }

  private blockFollow(): boolean {
    switch (this.tok.t) {
      case T.Else: case T.Elseif: case T.End: case T.Until: case T.EOF: return true;
      default: return false;
    }
  }

  /** statements until a block end; the caller opens/closes the scope */
  private block(): Stat[] {
    const out: Stat[] = [];
    this.enter();
    let last = false;
    while (!last && !this.blockFollow()) {
      const t = this.tok.t;
      last = t === T.Return || t === T.Break;
      out.push(this.statement());
      this.testNext(';');
    }
    this.leave();
    return out;
  }

  private scopedBlock(isLoop: boolean): Stat[] {
    this.openScope(isLoop);
    const b = this.block();
    this.closeScope();
    return b;
  }

  private statement(): Stat {
    const line = this.lx.line;
    switch (this.tok.t) {
      case T.If: return this.ifStat(line);
      case T.While: {
        this.lx.next();
        const cond = this.expr();
        this.checkNextTok(T.Do, 'do');
        const body = this.scopedBlock(true);
        this.checkMatch(T.End, 'end', 'while', line);
        return { k: 'while', cond, body };
      }
      case T.Do: {
        this.lx.next();
        const body = this.scopedBlock(false);
        this.checkMatch(T.End, 'end', 'do', line);
        return { k: 'do', body };
      }
      case T.For: return this.forStat(line);
      case T.Repeat: {
        this.lx.next();
        this.openScope(true);
        const body = this.block();
        this.checkMatch(T.Until, 'until', 'repeat', line);
        const cond = this.expr();
        this.closeScope();
        return { k: 'repeat', body, cond };
      }
      case T.Function: {
        this.lx.next();
        // funcname: NAME {'.' NAME} [':' NAME]
        let target: Expr = this.resolve(this.checkName());
        let name = target.k === 'global' ? target.name : (target as { v: VarInfo }).v.name;
        let isMethod = false;
        while (this.isChar('.')) {
          this.lx.next();
          const key = this.checkName();
          target = { k: 'index', obj: target, key: { k: 'str', v: key }, line: this.lx.line };
          name = key;
        }
        if (this.isChar(':')) {
          this.lx.next();
          const key = this.checkName();
          target = { k: 'index', obj: target, key: { k: 'str', v: key }, line: this.lx.line };
          name = key;
          isMethod = true;
        }
        const f = this.body(isMethod, line, name);
        return { k: 'assign', targets: [target], exprs: [{ k: 'func', f }], line: this.lx.lastline };
      }
      case T.Local: {
        this.lx.next();
        if ((this.tok.t as T) === T.Function) {
          this.lx.next();
          const name = this.checkName();
          const v = this.newVar(name);
          this.activate([v]);
          const f = this.body(false, line, name);
          return { k: 'localfunc', v, f };
        }
        const vars: VarInfo[] = [];
        do { vars.push(this.newVar(this.checkName())); } while (this.testNext(','));
        let exprs: Expr[] = [];
        if (this.testNext('=')) exprs = this.exprList();
        this.activate(vars);
        return { k: 'local', vars, exprs, line };
      }
      case T.Return: {
        this.lx.next();
        let exprs: Expr[] = [];
        if (!this.blockFollow() && !this.isChar(';')) exprs = this.exprList();
        return { k: 'return', exprs, line };
      }
      case T.Break: {
        this.lx.next();
        let ok = false;
        for (let i = this.fs.scopes.length - 1; i >= 0; i--) if (this.fs.scopes[i]!.isLoop) { ok = true; break; }
        if (!ok) this.lx.error('no loop to break', this.tok);
        return { k: 'break' };
      }
      default: return this.exprStat();
    }
  }

  private checkNextTok(t: T, text: string): void { this.check(t, text); this.lx.next(); }

  private ifStat(line: number): Stat {
    const conds: Expr[] = [];
    const blocks: Stat[][] = [];
    let orelse: Stat[] | undefined;
    this.lx.next();
    conds.push(this.expr());
    this.checkNextTok(T.Then, 'then');
    blocks.push(this.scopedBlock(false));
    while (this.tok.t === T.Elseif) {
      this.lx.next();
      conds.push(this.expr());
      this.checkNextTok(T.Then, 'then');
      blocks.push(this.scopedBlock(false));
    }
    if (this.tok.t === T.Else) {
      this.lx.next();
      orelse = this.scopedBlock(false);
    }
    this.checkMatch(T.End, 'end', 'if', line);
    return { k: 'if', conds, blocks, orelse };
  }

  private forStat(line: number): Stat {
    this.lx.next();
    const n1 = this.checkName();
    if (this.isChar('=')) {
      this.lx.next();
      const start = this.expr();
      this.checkNextChar(',');
      const limit = this.expr();
      let step: Expr | undefined;
      if (this.testNext(',')) step = this.expr();
      this.checkNextTok(T.Do, 'do');
      this.openScope(true);
      const v = this.newVar(n1);
      this.activate([v]);
      const body = this.block();
      this.closeScope();
      this.checkMatch(T.End, 'end', 'for', line);
      return { k: 'numfor', v, start, limit, step, body, line };
    }
    if (this.isChar(',') || this.tok.t === T.In) {
      const names = [n1];
      while (this.testNext(',')) names.push(this.checkName());
      this.checkNextTok(T.In, 'in');
      const exprs = this.exprList();
      this.checkNextTok(T.Do, 'do');
      this.openScope(true);
      const vars = names.map((n) => this.newVar(n));
      this.activate(vars);
      const body = this.block();
      this.closeScope();
      this.checkMatch(T.End, 'end', 'for', line);
      return { k: 'genfor', vars, exprs, body, line };
    }
    this.lx.error("'=' or 'in' expected", this.tok);
  }

  private exprStat(): Stat {
    const line = this.lx.line;
    const e = this.primaryExp();
    if (e.k === 'call' || e.k === 'method') {
      return { k: 'callstat', call: e };
    }
    const targets: Expr[] = [e];
    for (;;) {
      const last = targets[targets.length - 1]!;
      if (!(last.k === 'local' || last.k === 'upval' || last.k === 'global' || last.k === 'index')) {
        this.lx.error('syntax error', this.tok);
      }
      if (!this.testNext(',')) break;
      this.enter();
      targets.push(this.primaryExp());
    }
    for (let i = 1; i < targets.length; i++) this.leave();
    this.checkNextChar('=');
    const exprs = this.exprList();
    return { k: 'assign', targets, exprs, line };
  }

  private exprList(): Expr[] {
    const out = [this.expr()];
    while (this.testNext(',')) out.push(this.expr());
    return out;
  }

  private body(isMethod: boolean, line: number, name: string): FuncBody {
    const fs = this.openFunc(line, false);
    this.openScope(false);
    const params: VarInfo[] = [];
    if (isMethod) params.push(this.newVar('self'));
    this.checkNextChar('(');
    let isVararg = false;
    if (!this.isChar(')')) {
      do {
        if (this.tok.t === T.Name) params.push(this.newVar(this.checkName()));
        else if (this.tok.t === T.Dots) { this.lx.next(); isVararg = true; }
        else this.lx.error('<name> or \'...\' expected', this.tok);
      } while (!isVararg && this.testNext(','));
    }
    fs.isVararg = isVararg;
    this.activate(params);
    this.checkNextChar(')');
    const body = this.block();
    const lastline = this.lx.line;
    this.checkMatch(T.End, 'end', 'function', line);
    this.closeScope();
    this.fs = fs.parent as FS;
    return { upvals: [...fs.upvals], params, isVararg, body, line, lastline, name };
  }

  private primaryExp(): Expr {
    let e: Expr;
    // prefixexp
    if (this.tok.t === T.Name) {
      e = this.resolve(this.tok.s);
      this.lx.next();
    } else if (this.isChar('(')) {
      const line = this.lx.line;
      this.lx.next();
      const inner = this.expr();
      this.checkMatch(')', ')', '(', line);
      e = { k: 'paren', e: inner };
    } else {
      this.lx.error('unexpected symbol', this.tok);
    }
    for (;;) {
      if (this.isChar('.')) {
        this.lx.next();
        const name = this.checkName();
        e = { k: 'index', obj: e, key: { k: 'str', v: name }, line: this.lx.line };
      } else if (this.isChar('[')) {
        this.lx.next();
        const key = this.expr();
        this.checkNextChar(']');
        e = { k: 'index', obj: e, key, line: this.lx.line };
      } else if (this.isChar(':')) {
        this.lx.next();
        const name = this.checkName();
        const line = this.lx.line;
        const args = this.callArgs();
        e = { k: 'method', obj: e, name, args, line };
      } else if (this.isChar('(') || this.isChar('{') || this.tok.t === T.String) {
        const line = this.lx.line;
        const args = this.callArgs();
        e = { k: 'call', fn: e, args, line };
      } else {
        return e;
      }
    }
  }

  private callArgs(): Expr[] {
    if (this.tok.t === T.String) {
      const s = this.tok.s;
      this.lx.next();
      return [{ k: 'str', v: s }];
    }
    if (this.isChar('{')) return [this.tableCons()];
    if (this.isChar('(')) {
      const line = this.lx.line;
      if (line !== this.lx.lastline) this.lx.error('ambiguous syntax (function call x new statement)', this.tok);
      this.lx.next();
      let args: Expr[] = [];
      if (!this.isChar(')')) args = this.exprList();
      this.checkMatch(')', ')', '(', line);
      return args;
    }
    this.lx.error('function arguments expected', this.tok);
  }

  private tableCons(): Expr {
    const line = this.lx.line;
    this.checkNextChar('{');
    const fields: { key: Expr | undefined; val: Expr }[] = [];
    for (;;) {
      if (this.isChar('}')) break;
      if (this.tok.t === T.Name && this.lx.peek().t === T.Char && this.lx.peek().s === '=') {
        const key: Expr = { k: 'str', v: this.tok.s };
        this.lx.next(); this.lx.next();
        fields.push({ key, val: this.expr() });
      } else if (this.isChar('[')) {
        this.lx.next();
        const key = this.expr();
        this.checkNextChar(']');
        this.checkNextChar('=');
        fields.push({ key, val: this.expr() });
      } else {
        fields.push({ key: undefined, val: this.expr() });
      }
      if (!this.testNext(',') && !this.testNext(';')) break;
    }
    this.checkMatch('}', '}', '{', line);
    return { k: 'table', fields, line };
  }

  private simpleExp(): Expr {
    const t = this.tok;
    switch (t.t) {
      case T.Number: this.lx.next(); return { k: 'num', v: t.n };
      case T.String: this.lx.next(); return { k: 'str', v: t.s };
      case T.Nil: this.lx.next(); return { k: 'nil' };
      case T.True: this.lx.next(); return { k: 'true' };
      case T.False: this.lx.next(); return { k: 'false' };
      case T.Dots: {
        if (!this.fs.isVararg) this.lx.error("cannot use '...' outside a vararg function", this.tok);
        this.lx.next();
        return { k: 'vararg' };
      }
      case T.Function: {
        const line = this.lx.line;
        this.lx.next();
        return { k: 'func', f: this.body(false, line, '?') };
      }
      default:
        if (this.isChar('{')) return this.tableCons();
        return this.primaryExp();
    }
  }

  private binop(): string | undefined {
    const t = this.tok;
    switch (t.t) {
      case T.Char: return '+-*/%^<>'.includes(t.s) ? t.s : undefined;
      case T.Concat: return '..';
      case T.Eq: return '==';
      case T.Ne: return '~=';
      case T.Le: return '<=';
      case T.Ge: return '>=';
      case T.And: return 'and';
      case T.Or: return 'or';
      default: return undefined;
    }
  }

  expr(limit = 0): Expr {
    this.enter();
    let e: Expr;
    const t = this.tok;
    if (t.t === T.Not || (t.t === T.Char && (t.s === '-' || t.s === '#'))) {
      const line = this.lx.line;
      this.lx.next();
      const a = this.expr(UNARY_PRIORITY);
      if (t.t === T.Not) e = { k: 'not', a };
      else if (t.s === '-') {
        if (a.k === 'num' && (-a.v === -a.v)) e = { k: 'num', v: -a.v };
        else e = { k: 'neg', a, line };
      } else e = { k: 'len', a, line };
    } else {
      e = this.simpleExp();
    }
    let op = this.binop();
    while (op !== undefined && BINPRI[op]![0] > limit) {
      this.lx.next();
      const b = this.expr(BINPRI[op]![1]);
      const line = this.lx.lastline;
      if (op === 'and') e = { k: 'and', a: e, b };
      else if (op === 'or') e = { k: 'or', a: e, b };
      else {
        const bop = op as BinOp;
        const folded = e.k === 'num' && b.k === 'num' ? foldArith(bop, e.v, b.v) : undefined;
        e = folded !== undefined ? { k: 'num', v: folded } : { k: 'bin', op: bop, a: e, b, line };
      }
      op = this.binop();
    }
    this.leave();
    return e;
  }
}
