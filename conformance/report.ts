/**
 * Reports of a corpus run: the per-command table printed by the CLI, JUnit
 * XML for CI systems, and a JSON document with every result.
 */
import { specOf } from './normalize.js';
import type { CaseResult, CorpusRun, Kind } from './run.js';

export interface CommandRow {
  readonly command: string;
  readonly group: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Calls of the command compared equal in model-based runs. */
  readonly modelCalls: number;
  /** Why cases of this command were skipped (distinct reasons). */
  readonly skipReasons: readonly string[];
}

export interface Totals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(results: readonly CaseResult[], kind?: Kind): Totals {
  const rs = kind ? results.filter((r) => r.kind === kind) : results;
  return {
    passed: rs.filter((r) => r.status === 'passed').length,
    failed: rs.filter((r) => r.status === 'failed').length,
    skipped: rs.filter((r) => r.status === 'skipped').length,
  };
}

/** One row per command: cases that name it (each counted once per command), and model calls. */
export function commandTable(results: readonly CaseResult[]): CommandRow[] {
  const rows = new Map<string, { passed: number; failed: number; skipped: number; modelCalls: number; reasons: Set<string>; group: string }>();
  const row = (cmd: string, group: string) => {
    let r = rows.get(cmd);
    if (!r) {
      r = { passed: 0, failed: 0, skipped: 0, modelCalls: 0, reasons: new Set(), group: specOf(cmd)?.group ?? group };
      rows.set(cmd, r);
    }
    return r;
  };
  for (const res of results) {
    if (res.kind === 'model') {
      for (const [cmd, n] of Object.entries(res.calls ?? {})) row(cmd, res.group).modelCalls += n;
      if (res.status === 'failed') for (const cmd of res.commands) row(cmd, res.group).failed++;
      continue;
    }
    for (const cmd of res.commands) {
      const r = row(cmd, res.group);
      r[res.status]++;
      if (res.status === 'skipped' && res.reason) r.reasons.add(res.reason);
    }
  }
  return [...rows.entries()]
    .map(([command, r]) => ({ command, group: r.group, passed: r.passed, failed: r.failed, skipped: r.skipped, modelCalls: r.modelCalls, skipReasons: [...r.reasons] }))
    .sort((a, b) => (a.group === b.group ? (a.command < b.command ? -1 : 1) : a.group < b.group ? -1 : 1));
}

/** The table as text, one line per command. */
export function formatTable(rows: readonly CommandRow[]): string {
  const head = ['command', 'group', 'passed', 'failed', 'skipped', 'model calls', 'notes'];
  const body = rows.map((r) => [
    r.command, r.group, String(r.passed), String(r.failed), String(r.skipped), String(r.modelCalls),
    r.failed ? 'FAILED' : r.skipReasons.length ? `skipped: ${r.skipReasons[0]}${r.skipReasons.length > 1 ? ` (+${r.skipReasons.length - 1})` : ''}` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = new Set([2, 3, 4, 5]);
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** A summary line per kind and overall. */
export function formatSummary(run: CorpusRun): string {
  const lines: string[] = [];
  for (const k of ['example', 'property', 'model'] as const) {
    const t = totals(run.results, k);
    if (t.passed + t.failed + t.skipped) lines.push(`${k.padEnd(9)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  }
  const t = totals(run.results);
  lines.push(`${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  return lines.join('\n');
}

/** The failures, each in full. */
export function formatFailures(results: readonly CaseResult[]): string {
  return results.filter((r) => r.status === 'failed').map((r) => `✗ ${r.id}\n${indent(r.failure ?? '')}`).join('\n\n');
}

function indent(s: string): string {
  return s.split('\n').map((l) => '    ' + l).join('\n');
}

function xml(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    // XML 1.0 has no place for most control characters: show them escaped.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else out += ch;
  }
  return out;
}

/** JUnit XML: one test suite per kind and group, one test case per case. */
export function junitXml(runs: readonly CorpusRun[]): string {
  const suites = new Map<string, CaseResult[]>();
  for (const run of runs) {
    for (const r of run.results) {
      const name = `conformance ${run.driver} RESP${run.resp} ${r.kind} ${r.group}`;
      (suites.get(name) ?? suites.set(name, []).get(name)!).push(r);
    }
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = runs.flatMap((r) => r.results);
  const t = totals(all);
  const time = (ms: number) => (ms / 1000).toFixed(3);
  out.push(`<testsuites name="valkey-double conformance" tests="${all.length}" failures="${t.failed}" skipped="${t.skipped}" time="${time(runs.reduce((s, r) => s + r.durationMs, 0))}">`);
  for (const [name, rs] of suites) {
    const st = totals(rs);
    out.push(`  <testsuite name="${xml(name)}" tests="${rs.length}" failures="${st.failed}" skipped="${st.skipped}" time="${time(rs.reduce((s, r) => s + r.durationMs, 0))}">`);
    for (const r of rs) {
      const open = `    <testcase classname="${xml(`${r.kind}.${r.group}`)}" name="${xml(`${r.commands.join(',')}: ${r.name}`)}" time="${time(r.durationMs)}"`;
      if (r.status === 'passed') out.push(`${open}/>`);
      else if (r.status === 'skipped') out.push(`${open}><skipped message="${xml(r.reason ?? '')}"/></testcase>`);
      else out.push(`${open}><failure message="${xml((r.failure ?? '').split('\n')[0]!)}">${xml(r.failure ?? '')}</failure></testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** The JSON report: every run with its results and per-command table. */
export function jsonReport(runs: readonly CorpusRun[]): string {
  return JSON.stringify({
    tool: 'valkey-double conformance',
    runs: runs.map((r) => ({ ...r, totals: totals(r.results), commands: commandTable(r.results) })),
    totals: totals(runs.flatMap((r) => r.results)),
  }, null, 2) + '\n';
}
