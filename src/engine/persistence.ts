/**
 * RDB persistence (rdb.c rdbSave / rdbSaveBackground / rdbLoad, serverCron's
 * save points): where the file lives, saving it, loading it back.
 *
 * The file goes to `dir`/`dbfilename` through the engine's injected file
 * access when the engine was given a file (the `rdb` option as a path) or
 * a `dir` or `dbfilename` (at startup or by CONFIG SET); otherwise the image
 * a save makes stays in memory, so SAVE, DEBUG RELOAD and a restart of the
 * same engine behave the same without touching the disk. A BGSAVE is done by
 * the time it answers (there is no child process): INFO shows a finished
 * save. Save points run on the engine's clock.
 */
import type { Engine } from './engine.js';
import { strerror } from './files.js';
import { serverCounters } from './info.js';
import { encodeRdb, loadRdb, RdbLoadError, type ReplInfo } from './rdb/file.js';
import type { LoadOptions, LoadResult } from './rdb/snapshot.js';
import type { Timer } from '../time/index.js';

/** writeCommandsGetDiskErrorMessage for DISK_ERROR_TYPE_RDB. */
export const MISCONF_ERROR =
  "MISCONF Valkey is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
  'Commands that may modify the data set are disabled, because this instance is configured to report errors ' +
  'during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Valkey logs for details about the RDB error.';

/** CONFIG_BGSAVE_RETRY_DELAY (seconds). */
const BGSAVE_RETRY_DELAY = 5;

export interface PersistenceOptions {
  /** An RDB file to start from: its bytes, or a path (which also becomes `dir` and `dbfilename`). */
  rdb?: string | Uint8Array;
}

/** The `dir` and `dbfilename` an `rdb` path stands for (set at startup, as from a config file). */
export function rdbPathConfig(path: string): Record<string, string> {
  const i = path.lastIndexOf('/');
  return i < 0 ? { dbfilename: path } : { dir: path.slice(0, i) || '/', dbfilename: path.slice(i + 1) };
}

export class Persistence {
  /** The file as the last save left it, when it is kept in memory. */
  private image: Uint8Array | undefined;
  private onDisk: boolean;
  /** server.lastbgsave_status. */
  lastBgsaveOk = true;
  /** server.lastbgsave_try (seconds). */
  private lastBgsaveTry = 0;
  /** BGSAVE inside MULTI (or SCHEDULE while busy): server.rdb_bgsave_scheduled. */
  scheduled = false;
  /** The dataset as the last BGREWRITEAOF left it (an AOF with its RDB preamble): what DEBUG LOADAOF loads. */
  aofImage: Uint8Array | undefined;
  /** aof_rewrites. */
  aofRewrites = 0;
  /** rdb_last_load_keys_loaded / _expired. */
  lastLoadLoaded = 0;
  lastLoadExpired = 0;
  /** rdbSaveInfo for the files written (the replication layer sets it once a backlog exists). */
  replInfo: (() => ReplInfo | undefined) | undefined;
  private timer: Timer | undefined;
  private timerAt = Infinity;
  /** The save points in force: [seconds, changes] pairs, following CONFIG SET save. */
  private readonly savePoints: { list: [number, number][] };

  constructor(private readonly engine: Engine, opts: PersistenceOptions, configured: Readonly<Record<string, string>>) {
    const cfg = engine.config;
    if (opts.rdb !== undefined && typeof opts.rdb !== 'string') this.image = opts.rdb;
    this.onDisk = engine.files !== undefined && (typeof opts.rdb === 'string' || 'dir' in configured || 'dbfilename' in configured);
    cfg.onChange('dir', () => { this.onDisk = engine.files !== undefined; });
    this.savePoints = cfg.live(['save'], (c) => ({ list: parseSavePoints(c.get('save')) }));
    cfg.onChange('save', () => this.arm());
  }

  /** The file's path: dbfilename in dir. */
  get path(): string {
    const dir = this.engine.config.get('dir');
    const name = this.engine.config.get('dbfilename');
    return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
  }

  /** Whether files are written to and read from the disk. */
  get diskBacked(): boolean {
    return this.onDisk;
  }

  /** The file image on disk (or in memory); throws an Error with `code` ('ENOENT'...) when there is none. */
  read(): Uint8Array {
    if (!this.onDisk) {
      if (this.image === undefined) throw Object.assign(new Error('no RDB file'), { code: 'ENOENT' });
      return this.image;
    }
    return new Uint8Array(Buffer.from(this.engine.files!.read(this.path), 'latin1'));
  }

  /**
   * rdbSave: 'save' is the SAVE command, 'bgsave' a finished
   * rdbSaveBackground (both count in rdb_saves), 'internal' the saves of
   * DEBUG RELOAD, FLUSHALL and SHUTDOWN. False when the file could not be written.
   */
  save(now: number, kind: 'save' | 'bgsave' | 'internal'): boolean {
    const e = this.engine;
    const sc = serverCounters(e);
    const background = kind === 'bgsave';
    if (kind !== 'internal') sc.rdbSaves++;
    if (background) this.lastBgsaveTry = Math.floor(now / 1000);
    const image = encodeRdb(e, now, this.replInfo?.());
    try {
      if (this.onDisk) e.files!.write(this.path, Buffer.from(image).toString('latin1'));
      else this.image = image;
    } catch {
      if (background) {
        this.lastBgsaveOk = false;
        sc.lastBgsaveTimeSec = 0;
      }
      return false;
    }
    e.stats.dirty = 0;
    e.stats.lastSave = Math.floor(now / 1000);
    this.lastBgsaveOk = true;
    if (background) sc.lastBgsaveTimeSec = 0;
    this.arm();
    return true;
  }

  /** rewriteAppendOnlyFileBackground, finished: the AOF base holds the dataset as of now. */
  rewriteAof(now: number): void {
    this.aofImage = encodeRdb(this.engine, now);
    this.aofRewrites++;
  }

  /** rdbLoad of the current file. Throws RdbLoadError, or an Error with `code` when there is no file. */
  load(opts: LoadOptions, now: number): LoadResult {
    const r = loadRdb(this.engine, this.read(), opts, now);
    this.lastLoadLoaded = r.loaded;
    this.lastLoadExpired = r.expired;
    return r;
  }

  /** loadDataFromDisk at startup: a missing file is an empty dataset, anything else unreadable stops the server. */
  startup(): void {
    if (!this.onDisk && this.image === undefined) return;
    try {
      const r = this.load({ flush: false, merge: false }, this.engine.clock.now());
      if (r.duplicate) throw new RdbLoadError('Duplicated key found in RDB file');
    } catch (err) {
      if (!(err instanceof RdbLoadError) && (err as { code?: string }).code === 'ENOENT') return;
      const why = err instanceof RdbLoadError ? err.message : `Fatal error loading the DB, check server logs: ${strerror(err)}`;
      throw new Error(`valkey-double could not load ${this.onDisk ? this.path : 'its RDB image'}: ${why}`);
    }
    this.engine.stats.dirty = 0;
  }

  /** writeCommandsDeniedByDiskError: save points are set, the last background save failed, and stop-writes-on-bgsave-error is on. */
  get deniesWrites(): boolean {
    return !this.lastBgsaveOk && this.savePoints.list.length > 0 && this.engine.config.getBool('stop-writes-on-bgsave-error');
  }

  /** Whether any save point is configured (serverSaveParamsCount). */
  get hasSavePoints(): boolean {
    return this.savePoints.list.length > 0;
  }

  /**
   * After a command: arm the check of the save points (and of a scheduled
   * BGSAVE) for the first second at which one could fire.
   */
  arm(): void {
    const e = this.engine;
    const points = this.savePoints.list;
    if (!this.scheduled && (points.length === 0 || e.stats.dirty === 0) && this.timer === undefined) return;
    // serverCron's next run: a save point already due is found within one tick (1000/hz ms).
    const tick = e.clock.now() + Math.max(1, Math.floor(1000 / e.config.getInt('hz')));
    let at = Infinity;
    if (this.scheduled) at = tick;
    const last = e.stats.lastSave;
    for (const [secs, changes] of points) {
      if (e.stats.dirty >= changes && e.stats.dirty > 0) {
        let t = (last + secs + 1) * 1000;
        if (!this.lastBgsaveOk) t = Math.max(t, (this.lastBgsaveTry + BGSAVE_RETRY_DELAY + 1) * 1000);
        at = Math.min(at, Math.max(t, tick));
      }
    }
    if (at >= this.timerAt) return;
    this.timer?.cancel();
    if (at === Infinity) {
      this.timerAt = Infinity;
      this.timer = undefined;
      return;
    }
    this.timerAt = at;
    this.timer = e.clock.schedule(at, () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.cron();
      this.arm();
    });
  }

  /** serverCron's part: a due save point or a scheduled BGSAVE starts a (finished) background save. */
  private cron(): void {
    const e = this.engine;
    const now = e.clock.now();
    const unix = Math.floor(now / 1000);
    const mayRetry = unix - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk;
    if (!mayRetry) return;
    const due = this.savePoints.list.some(([secs, changes]) => e.stats.dirty >= changes && unix - e.stats.lastSave > secs);
    if (due || this.scheduled) {
      this.scheduled = false;
      this.save(now, 'bgsave');
    }
  }

  close(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

/** The `save` parameter's "<seconds> <changes>..." pairs. */
function parseSavePoints(v: string): [number, number][] {
  const words = v.split(' ').filter((w) => w !== '');
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < words.length; i += 2) out.push([Number(words[i]), Number(words[i + 1])]);
  return out;
}
