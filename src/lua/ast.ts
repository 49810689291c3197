/** Syntax tree produced by the parser, with names already resolved to locals, upvalues or globals. */

export interface VarInfo {
  /** unique id, used for the JS identifier */
  id: number;
  name: string;
  /** the function that declares it */
  fn: FuncState;
  /** used by an inner function: lives in a box */
  captured: boolean;
}

export interface FuncState {
  parent: FuncState | undefined;
  isVararg: boolean;
  line: number;
  /** names of upvalues this function uses (for the 60-upvalue limit) */
  upvals: Set<VarInfo>;
  nactive: number;
}

export type Expr =
  | { k: 'nil' } | { k: 'true' } | { k: 'false' }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'vararg' }
  | { k: 'func'; f: FuncBody }
  | { k: 'local'; v: VarInfo }
  | { k: 'upval'; v: VarInfo }
  | { k: 'global'; name: string; line: number }
  | { k: 'index'; obj: Expr; key: Expr; line: number }
  | { k: 'call'; fn: Expr; args: Expr[]; line: number }
  | { k: 'method'; obj: Expr; name: string; args: Expr[]; line: number }
  | { k: 'bin'; op: BinOp; a: Expr; b: Expr; line: number }
  | { k: 'and'; a: Expr; b: Expr }
  | { k: 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'neg'; a: Expr; line: number }
  | { k: 'len'; a: Expr; line: number }
  | { k: 'paren'; e: Expr }
  | { k: 'table'; fields: { key: Expr | undefined; val: Expr }[]; line: number };

export type BinOp = '+' | '-' | '*' | '/' | '%' | '^' | '..' | '==' | '~=' | '<' | '<=' | '>' | '>=';

export type Stat =
  | { k: 'local'; vars: VarInfo[]; exprs: Expr[]; line: number }
  | { k: 'assign'; targets: Expr[]; exprs: Expr[]; line: number }
  | { k: 'callstat'; call: Expr }
  | { k: 'do'; body: Stat[] }
  | { k: 'while'; cond: Expr; body: Stat[] }
  | { k: 'repeat'; body: Stat[]; cond: Expr }
  | { k: 'if'; conds: Expr[]; blocks: Stat[][]; orelse: Stat[] | undefined }
  | { k: 'numfor'; v: VarInfo; start: Expr; limit: Expr; step: Expr | undefined; body: Stat[]; line: number }
  | { k: 'genfor'; vars: VarInfo[]; exprs: Expr[]; body: Stat[]; line: number }
  | { k: 'localfunc'; v: VarInfo; f: FuncBody }
  | { k: 'return'; exprs: Expr[]; line: number }
  | { k: 'break' };

export interface FuncBody {
  /** variables of enclosing functions this one uses, in first-use order */
  upvals: VarInfo[];
  params: VarInfo[];
  isVararg: boolean;
  body: Stat[];
  line: number;
  lastline: number;
  /** name for tracebacks/messages */
  name: string;
}
