/**
 * The cluster's default data replication: every replica node's engine
 * follows its primary's through a ReplicaLink (src/server/replication.ts),
 * all on the cluster's clock. REPLICATE, REPLICATE NO ONE, RESET, FORGET and
 * failovers re-link through attach/detach; a killed node's links go down
 * (suspend) and come back with a full resync when it restarts.
 */
import { linkReplica, type LinkOptions, type ReplicaLink } from '../server/index.js';
import type { ClusterNodeHandle, ReplicationLink } from './create.js';

export class InProcessReplication implements ReplicationLink {
  private readonly links = new Map<string, ReplicaLink>();

  /** @param opts lag / paused for every link made (see LinkOptions). */
  constructor(private readonly opts: Pick<LinkOptions, 'lagMs' | 'paused'> = {}) {}

  attach(replica: ClusterNodeHandle, primary: ClusterNodeHandle): void {
    this.suspend(replica);
    this.links.set(replica.id, linkReplica(primary.server.engine, replica.server.engine, {
      ...this.opts,
      primaryHost: primary.host, primaryPort: primary.port, replicaIp: replica.host, replicaPort: replica.port,
    }));
  }

  /** The replica stops following: its link ends and it takes writes (replicationUnsetPrimary). */
  detach(replica: ClusterNodeHandle): void {
    this.suspend(replica);
    replica.server.engine.repl.promote();
  }

  /** The link of `replica` goes down (its primary or itself was killed): it still names its primary. */
  suspend(replica: ClusterNodeHandle): void {
    this.links.get(replica.id)?.close();
    this.links.delete(replica.id);
  }

  /** A manual failover's offset agreement: the replica applies everything its primary sent. */
  catchUp(replica: ClusterNodeHandle): void {
    this.links.get(replica.id)?.flush();
  }

  /** The link `replica` (by node id) follows its primary through, for lag / pause / flush in tests. */
  linkOf(replicaId: string): ReplicaLink | undefined {
    return this.links.get(replicaId);
  }
}
