/**
 * Admin: the engine's nodes that take workspaces now — CPUs, memory, GPUs and labels of each — so
 * an admin sees where a GPU request can go (and why "the largest matching node has 2" is said)
 * without a terminal on the cluster. A drained or lost node is absent, as the engine reports it.
 */
import { formatBytes } from '../../lib/format';
import { useHub } from '../../lib/hub-context';
import { useLoad } from '../../lib/use-load';

export function NodesTable() {
  const { client } = useHub();
  const capacity = useLoad(() => client.capacity(), [client]);
  const nodes = capacity.data?.nodes ?? [];
  return (
    <section aria-labelledby="nodes-heading">
      <h3 id="nodes-heading">Nodes</h3>
      {capacity.error && <p role="alert" className="alert">{capacity.error}</p>}
      {capacity.data && <p className="muted">{capacity.data.description}</p>}
      {nodes.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Node</th><th scope="col" className="num">CPUs</th><th scope="col" className="num">Memory</th><th scope="col" className="num">GPUs</th><th scope="col">Labels</th></tr></thead>
            <tbody>
              {nodes.map((n) => (
                <tr key={n.name} data-node={n.name}>
                  <th scope="row" className="name">{n.name}</th>
                  <td className="num">{n.cpus}</td>
                  <td className="num">{formatBytes(n.memory)}</td>
                  <td className="num">{n.gpus}</td>
                  <td className="muted">{Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
