/**
 * Compiles the resolved AST to JavaScript source. Every Lua function becomes a
 * top-level JS factory taking its upvalue boxes; the factory returns a
 * LuaFunction with two bodies: a plain one, and a generator one used inside
 * coroutines (calls there are delegated with yield*, so coroutine.yield can
 * suspend the whole Lua stack). Locals are JS `let`s; locals captured by an
 * inner function live in `{v}` boxes so closures share them.
 */
import type { Expr, FuncBody, Stat, VarInfo } from './ast.js';

function fb(n: number): number {
  // luaO_fb2int(luaO_int2fb(n)): the size NEWTABLE actually asks for
  let e = 0;
  let x = n;
  if (x < 8) return x;
  while (x >= 16) { x = (x + 1) >> 1; e++; }
  return ((x & 7) + 8) << e;
}

interface FnCtx {
  body: FuncBody;
  tmp: number;
  maxTmp: number;
  zero: number | undefined;
}

const MULTI = new Set(['call', 'method', 'vararg']);

export class CodeGen {
  private out: string[] = [];
  private sites: string[] = [];
  private siteIndex = new Map<string, number>();
  private fnCount = 0;
  private fx!: FnCtx;
  private gen = false;

  constructor(private readonly chunk: string) {}

  compile(main: FuncBody): string {
    const id = this.func(main);
    const header = ["'use strict';",
      'const {LF, T, ADD, SUB, MUL, DIV, MOD, POW, UNM, CAT, LEN, EQ, LT, LE, IDX, IDXS, SET, CALLM, GCALLM, TBL, TLIST, SETLIST, FORNUM, NEXT, EMPTY, ENTER, PREEMPT, LuaTable} = R.ops;',
      ...this.sites.map((s, i) => `const S${i} = R.site(${s});`)];
    return header.join('\n') + '\n' + this.out.join('\n') + `\nreturn F${id};`;
  }

  private site(line: number, a: [string, string] | null, b: [string, string] | null = null, call: [string, string] | null = null): string {
    const key = JSON.stringify([this.chunk, line, a?.[0] ?? '', a?.[1] ?? '', b?.[0] ?? '', b?.[1] ?? '', call !== null, call?.[0] ?? '', call?.[1] ?? '']);
    let i = this.siteIndex.get(key);
    if (i === undefined) {
      i = this.sites.length;
      this.sites.push(key.slice(1, -1));
      this.siteIndex.set(key, i);
    }
    return `S${i}`;
  }

  private nameOf(e: Expr): [string, string] | null {
    switch (e.k) {
      case 'local': return ['local', e.v.name];
      case 'upval': return ['upvalue', e.v.name];
      case 'global': return ['global', e.name];
      case 'index': return ['field', e.key.k === 'str' ? e.key.v : '?'];
      case 'paren': return this.nameOf(e.e);
      default: return null;
    }
  }

  private newTmp(): string {
    const t = this.fx.tmp++;
    if (this.fx.tmp > this.fx.maxTmp) this.fx.maxTmp = this.fx.tmp;
    return `t${t}`;
  }
  private freeTmp(n = 1): void { this.fx.tmp -= n; }

  /** A loop's back edge: the step hook, and in a generator body the point where a preemptible task yields. */
  private tick(body: readonly Stat[]): string {
    const line = lastLine(body);
    return this.gen ? `if (--R.budget <= 0 && R.tick(${line}, true)) yield PREEMPT;` : `if (--R.budget <= 0) R.tick(${line});`;
  }

  private vname(v: VarInfo): string { return v.captured ? `L${v.id}.v` : `L${v.id}`; }

  private func(f: FuncBody): number {
    const id = this.fnCount++;
    const saved = this.fx;
    const savedGen = this.gen;
    const params = f.upvals.map((v) => `L${v.id}`);
    const bodies: string[] = [];
    for (const gen of [false, true]) {
      this.gen = gen;
      this.fx = { body: f, tmp: 0, maxTmp: 0, zero: undefined };
      const jsParams = f.params.map((p) => (p.captured ? `p${p.id}` : `L${p.id}`));
      if (f.isVararg) jsParams.push('...va');
      let pre = '';
      for (const p of f.params) if (p.captured) pre += `const L${p.id} = {v: p${p.id}};`;
      const body = this.block(f.body);
      const temps = this.fx.maxTmp > 0 ? `let ${Array.from({ length: this.fx.maxTmp }, (_, i) => `t${i}`).join(', ')};` : '';
      bodies.push(`function${gen ? '*' : ''} (${jsParams.join(', ')}) {const C = R.cur; const d = ++R.depth; if (d > R.maxDepth || --R.budget <= 0) ENTER(d); ${pre}${temps}\n${body}\nR.depth = d - 1; return EMPTY;}`);
    }
    this.out.push(`function F${id}(G${params.map((p) => ', ' + p).join('')}) { return new LF(R.newId(), ${bodies[0]}, ${bodies[1]}, ${JSON.stringify(f.name)}, false); }`);
    this.fx = saved;
    this.gen = savedGen;
    return id;
  }

  private block(stats: Stat[]): string {
    return stats.map((s) => this.stat(s)).join('\n');
  }

  private declare(v: VarInfo, init: string): string {
    return v.captured ? `const L${v.id} = {v: ${init}};` : `let L${v.id} = ${init};`;
  }

  private stat(s: Stat): string {
    switch (s.k) {
      case 'local': {
        const n = s.vars.length;
        if (s.exprs.length === 0) return s.vars.map((v) => this.declare(v, 'undefined')).join(' ');
        if (n === 1 && s.exprs.length === 1) return this.declare(s.vars[0]!, this.expr1(s.exprs[0]!));
        const vals = this.exprList(s.exprs, n);
        this.freeTmp(vals.ntemps);
        return vals.pre + s.vars.map((v, i) => this.declare(v, vals.vals[i]!)).join(' ') + vals.post;
      }
      case 'localfunc': {
        const id = this.func(s.f);
        const mk = `F${id}(G${s.f.upvals.map((v) => `, L${v.id}`).join('')})`;
        return s.v.captured ? `const L${s.v.id} = {v: undefined}; L${s.v.id}.v = ${mk};` : `let L${s.v.id} = ${mk};`;
      }
      case 'assign': return this.assign(s.targets, s.exprs, s.line);
      case 'callstat': return this.callExpr(s.call) + ';';
      case 'do': return `{${this.block(s.body)}}`;
      case 'while':
        return `while (${this.cond(s.cond)}) {${this.block(s.body)}\n${this.tick(s.body)}}`;
      case 'repeat':
        return `do {${this.block(s.body)}\n${this.tick(s.body)} if (${this.cond(s.cond)}) break;} while (true);`;
      case 'if': {
        let code = '';
        s.conds.forEach((c, i) => {
          code += `${i === 0 ? '' : ' else '}if (${this.cond(c)}) {${this.block(s.blocks[i]!)}}`;
        });
        if (s.orelse) code += ` else {${this.block(s.orelse)}}`;
        return code;
      }
      case 'numfor': {
        const S = this.site(s.line, null);
        const a = this.newTmp(), b = this.newTmp(), c = this.newTmp();
        const stepConst = s.step === undefined ? 1 : s.step.k === 'num' ? s.step.v : undefined;
        const init = `${a} = ${this.expr1(s.start)}, ${b} = ${this.expr1(s.limit)}, ${c} = ${s.step ? this.expr1(s.step) : '1'}, ${a} = FORNUM(${a}, 0, ${S}), ${b} = FORNUM(${b}, 1, ${S}), ${c} = FORNUM(${c}, 2, ${S})`;
        const test = stepConst === undefined ? `(${c} > 0 ? ${a} <= ${b} : ${a} >= ${b})` : stepConst > 0 ? `${a} <= ${b}` : `${a} >= ${b}`;
        const code = `for (${init}; ${test}; ${a} += ${c}) {${this.declare(s.v, a)}\n${this.block(s.body)}\n${this.tick(s.body)}}`;
        this.freeTmp(3);
        return `{${code}}`;
      }
      case 'genfor': {
        const S = this.site(s.line, null, null, ['local', '(for generator)']);
        const f = this.newTmp(), st = this.newTmp(), ctl = this.newTmp(), r = this.newTmp();
        const vals = this.exprList(s.exprs, 3);
        this.freeTmp(vals.ntemps);
        const call = this.gen
          ? `(${f} instanceof LF ? (${f}.g ? (yield* ${f}.g(${st}, ${ctl})) : ${f}.f(${st}, ${ctl})) : CALLM(${f}, ${S}, [${st}, ${ctl}]))`
          : `(${f} instanceof LF ? ${f}.f(${st}, ${ctl}) : CALLM(${f}, ${S}, [${st}, ${ctl}]))`;
        const decl = s.vars.map((v, i) => this.declare(v, `${r}[${i}]`)).join(' ');
        const code = `${vals.pre}${f} = ${vals.vals[0]}; ${st} = ${vals.vals[1]}; ${ctl} = ${vals.vals[2]};${vals.post}
for (;;) { C[d] = ${S}; ${r} = (${f} === NEXT && ${st} instanceof LuaTable) ? (${st}.next(${ctl}) ?? EMPTY) : ${call}; if (${r}[0] === undefined) break; ${ctl} = ${r}[0]; {${decl}\n${this.block(s.body)}}\n${this.tick(s.body)}}`;
        this.freeTmp(4);
        return `{${code}}`;
      }
      case 'return': {
        if (s.exprs.length === 1 && MULTI.has(s.exprs[0]!.k)) {
          const t = this.newTmp();
          const code = `{${t} = ${this.multi(s.exprs[0]!)}; R.depth = d - 1; return ${t};}`;
          this.freeTmp();
          return code;
        }
        if (s.exprs.length === 0) return 'R.depth = d - 1; return EMPTY;';
        const t = this.newTmp();
        const code = `{${t} = [${this.argList(s.exprs)}]; R.depth = d - 1; return ${t};}`;
        this.freeTmp();
        return code;
      }
      case 'break': return 'break;';
    }
  }

  /** `n` values from an expression list, adjusted like Lua (pad with nil, expand a last multi-value). */
  private exprList(exprs: Expr[], n: number): { pre: string; vals: string[]; post: string; ntemps: number } {
    const vals: string[] = [];
    let pre = '';
    const temps: string[] = [];
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i]!;
      const last = i === exprs.length - 1;
      if (last && MULTI.has(e.k) && i < n) {
        const t = this.newTmp(); temps.push(t);
        pre += `${t} = ${this.multi(e)};`;
        for (let j = i; j < n; j++) vals.push(`${t}[${j - i}]`);
      } else {
        const t = this.newTmp(); temps.push(t);
        pre += `${t} = ${i < n ? this.expr1(e) : this.exprAny(e)};`;
        if (i < n) vals.push(t);
      }
    }
    while (vals.length < n) vals.push('undefined');
    return { pre, vals, post: '', ntemps: temps.length };
  }

  private assign(targets: Expr[], exprs: Expr[], line: number): string {
    if (targets.length === 1 && exprs.length === 1) {
      return this.store(targets[0]!, this.expr1(exprs[0]!), line, undefined) + ';';
    }
    // evaluate table/key of every target, then the values, then store right to left
    let pre = '';
    const used: string[] = [];
    const prepared: { t: Expr; o?: string; key?: string }[] = [];
    for (const t of targets) {
      if (t.k === 'index') {
        const o = this.newTmp(), k = this.newTmp(); used.push(o, k);
        pre += `${o} = ${this.expr1(t.obj)}; ${k} = ${this.expr1(t.key)};`;
        prepared.push({ t, o, key: k });
      } else prepared.push({ t });
    }
    const vals = this.exprList(exprs, targets.length);
    used.push(...Array<string>(vals.ntemps).fill(''));
    const vt: string[] = [];
    let mid = vals.pre;
    for (const v of vals.vals) {
      const t = this.newTmp(); used.push(t); vt.push(t);
      mid += `${t} = ${v};`;
    }
    let post = '';
    for (let i = prepared.length - 1; i >= 0; i--) {
      const p = prepared[i]!;
      post += this.store(p.t, vt[i]!, line, p.o !== undefined ? [p.o, p.key!] : undefined) + ';';
    }
    this.freeTmp(used.length);
    return `{${pre}${mid}${post}}`;
  }

  private store(t: Expr, v: string, line: number, ok: [string, string] | undefined): string {
    switch (t.k) {
      case 'local': return `${this.vname(t.v)} = ${v}`;
      case 'upval': return `L${t.v.id}.v = ${v}`;
      case 'global': return `SET(G, ${JSON.stringify(t.name)}, ${v}, ${this.site(line, null)})`;
      case 'index': {
        const S = this.site(t.line, this.nameOf(t.obj));
        if (ok) return `SET(${ok[0]}, ${ok[1]}, ${v}, ${S})`;
        return `SET(${this.expr1(t.obj)}, ${this.expr1(t.key)}, ${v}, ${S})`;
      }
      default: throw new Error('bad assignment target');
    }
  }

  private num(v: number): string {
    if (v === 0) {
      // 5.1 keeps one constant per value and 0 == -0: the first zero of a function wins
      if (this.fx.zero === undefined) this.fx.zero = v;
      return Object.is(this.fx.zero, -0) ? '(-0)' : '0';
    }
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '(-Infinity)';
    return v < 0 ? `(${String(v)})` : String(v);
  }

  /** an expression whose value is discarded (extra values in a list) */
  private exprAny(e: Expr): string {
    return MULTI.has(e.k) ? this.multi(e) : this.expr1(e);
  }

  /** argument list text: the last multi-value expression spreads */
  private argList(args: Expr[]): string {
    return args.map((a, i) => (i === args.length - 1 && MULTI.has(a.k) ? `...${this.multi(a)}` : this.expr1(a))).join(', ');
  }

  /** JS expression yielding an array of all values */
  private multi(e: Expr): string {
    if (e.k === 'vararg') return 'va';
    return this.callExpr(e);
  }

  private callExpr(e: Expr): string {
    if (e.k === 'call') {
      const f = this.newTmp();
      const fexpr = this.expr1(e.fn);
      const S = this.site(e.line, this.nameOf(e.fn), null, this.nameOf(e.fn));
      const code = this.emitCall(f, `${f} = ${fexpr}`, [], e.args, S);
      this.freeTmp();
      return code;
    }
    if (e.k === 'method') {
      const o = this.newTmp(), f = this.newTmp();
      const Si = this.site(e.line, this.nameOf(e.obj));
      const S = this.site(e.line, ['method', e.name], null, ['method', e.name]);
      const code = this.emitCall(f, `${o} = ${this.expr1(e.obj)}, ${f} = IDXS(${o}, ${JSON.stringify(e.name)}, ${Si})`, [o], e.args, S);
      this.freeTmp(2);
      return code;
    }
    throw new Error('not a call');
  }

  private emitCall(f: string, setup: string, self: string[], args: Expr[], S: string): string {
    // evaluate every argument into a temporary before the call so the site is current at the call
    const temps: string[] = [];
    let pre = setup;
    const spread: string[] = [...self];
    args.forEach((a, i) => {
      const t = this.newTmp(); temps.push(t);
      if (i === args.length - 1 && MULTI.has(a.k)) {
        pre += `, ${t} = ${this.multi(a)}`;
        spread.push(`...${t}`);
      } else {
        pre += `, ${t} = ${this.expr1(a)}`;
        spread.push(t);
      }
    });
    this.freeTmp(temps.length);
    const list = spread.join(', ');
    const call = this.gen
      ? `(${f} instanceof LF ? (${f}.g ? (yield* ${f}.g(${list})) : ${f}.y ? (yield [${list}]) : ${f}.f(${list})) : (yield* GCALLM(${f}, ${S}, [${list}])))`
      : `(${f} instanceof LF ? ${f}.f(${list}) : CALLM(${f}, ${S}, [${list}]))`;
    return `(${pre}, C[d] = ${S}, ${call})`;
  }

  /** JS boolean expression for a condition */
  private cond(e: Expr): string {
    switch (e.k) {
      case 'true': return 'true';
      case 'false': case 'nil': return 'false';
      case 'not': return `!(${this.cond(e.a)})`;
      case 'and': return `(${this.cond(e.a)} && ${this.cond(e.b)})`;
      case 'or': return `(${this.cond(e.a)} || ${this.cond(e.b)})`;
      case 'bin':
        if (['==', '~=', '<', '<=', '>', '>='].includes(e.op)) return this.expr1(e);
        return `T(${this.expr1(e)})`;
      default: return `T(${this.expr1(e)})`;
    }
  }

  /** JS expression for exactly one value */
  expr1(e: Expr): string {
    switch (e.k) {
      case 'nil': return 'undefined';
      case 'true': return 'true';
      case 'false': return 'false';
      case 'num': return this.num(e.v);
      case 'str': return JSON.stringify(e.v);
      case 'vararg': return 'va[0]';
      case 'func': {
        const id = this.func(e.f);
        return `F${id}(G${e.f.upvals.map((v) => `, L${v.id}`).join('')})`;
      }
      case 'local': return this.vname(e.v);
      case 'upval': return `L${e.v.id}.v`;
      case 'global': return `IDXS(G, ${JSON.stringify(e.name)}, ${this.site(e.line, null)})`;
      case 'index': {
        const S = this.site(e.line, this.nameOf(e.obj));
        if (e.key.k === 'str') return `IDXS(${this.expr1(e.obj)}, ${JSON.stringify(e.key.v)}, ${S})`;
        return `IDX(${this.expr1(e.obj)}, ${this.expr1(e.key)}, ${S})`;
      }
      case 'call': case 'method': return `${this.callExpr(e)}[0]`;
      case 'paren': return this.expr1(e.e);
      case 'and': {
        const t = this.newTmp();
        const code = `(T(${t} = ${this.expr1(e.a)}) ? ${this.expr1(e.b)} : ${t})`;
        this.freeTmp();
        return code;
      }
      case 'or': {
        const t = this.newTmp();
        const code = `(T(${t} = ${this.expr1(e.a)}) ? ${t} : ${this.expr1(e.b)})`;
        this.freeTmp();
        return code;
      }
      case 'not': return `!${this.cond(e.a)}`;
      case 'neg': return `UNM(${this.expr1(e.a)}, ${this.site(e.line, this.nameOf(e.a), this.nameOf(e.a))})`;
      case 'len': return `LEN(${this.expr1(e.a)}, ${this.site(e.line, this.nameOf(e.a))})`;
      case 'bin': {
        const S = this.site(e.line, this.nameOf(e.a), this.nameOf(e.b));
        if (e.op === '>' || e.op === '>=') {
          // 5.1 codes a > b as b < a (operands still evaluated left to right)
          const x = this.newTmp(), y = this.newTmp();
          const code = `(${x} = ${this.expr1(e.a)}, ${y} = ${this.expr1(e.b)}, ${e.op === '>' ? 'LT' : 'LE'}(${y}, ${x}, ${S}))`;
          this.freeTmp(2);
          return code;
        }
        const a = this.expr1(e.a), b = this.expr1(e.b);
        switch (e.op) {
          case '+': return `ADD(${a}, ${b}, ${S})`;
          case '-': return `SUB(${a}, ${b}, ${S})`;
          case '*': return `MUL(${a}, ${b}, ${S})`;
          case '/': return `DIV(${a}, ${b}, ${S})`;
          case '%': return `MOD(${a}, ${b}, ${S})`;
          case '^': return `POW(${a}, ${b}, ${S})`;
          case '..': return `CAT(${a}, ${b}, ${S})`;
          case '==': return `EQ(${a}, ${b}, ${S})`;
          case '~=': return `!EQ(${a}, ${b}, ${S})`;
          case '<': return `LT(${a}, ${b}, ${S})`;
          case '<=': return `LE(${a}, ${b}, ${S})`;
        }
        throw new Error('bad op');
      }
      case 'table': return this.table(e);
    }
  }

  private table(e: Extract<Expr, { k: 'table' }>): string {
    const fields = e.fields;
    let na = 0, nh = 0;
    const last = fields[fields.length - 1];
    const multLast = last !== undefined && last.key === undefined && MULTI.has(last.val.k);
    for (const f of fields) if (f.key === undefined) na++; else nh++;
    if (multLast) na--;
    if (nh === 0 && !multLast) {
      return `TLIST([${fields.map((f) => this.expr1(f.val)).join(', ')}])`;
    }
    const t = this.newTmp(), p = this.newTmp();
    let code = `(${t} = TBL(${fb(na)}, ${fb(nh)}), ${p} = []`;
    let pending = 0, base = 1;
    fields.forEach((f, i) => {
      if (pending === 50) { code += `, SETLIST(${t}, ${base}, ${p}), ${p} = []`; base += 50; pending = 0; }
      if (f.key !== undefined) {
        code += `, SET(${t}, ${this.expr1(f.key)}, ${this.expr1(f.val)}, ${this.site(e.line, null)})`;
      } else if (i === fields.length - 1 && multLast) {
        code += `, ${p}.push(...${this.multi(f.val)})`;
        pending++;
      } else {
        code += `, ${p}.push(${this.expr1(f.val)})`;
        pending++;
      }
    });
    if (pending > 0) code += `, SETLIST(${t}, ${base}, ${p})`;
    code += `, ${t})`;
    this.freeTmp(2);
    return code;
  }
}

/** The line of a loop body's last statement that has one (5.1 gives the back edge the line of the body's last token); -1 if none. */
function lastLine(body: readonly Stat[]): number {
  for (let i = body.length - 1; i >= 0; i--) {
    const st = body[i]!;
    if ('line' in st) return st.line;
    if (st.k === 'callstat' && 'line' in st.call) return st.call.line;
  }
  return -1;
}
