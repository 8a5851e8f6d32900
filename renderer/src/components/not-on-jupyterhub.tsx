/**
 * What a connected JupyterHub does not offer, one line each, where those sections would be: its
 * REST API has no counterpart, so the app says so rather than showing empty panels.
 */

export const NOT_ON_JUPYTERHUB = {
  usage: 'CPU and memory: its REST API reports no CPU or memory use.',
  logs: 'Logs: its REST API gives no server logs (use a terminal in Jupyter).',
  terminal: 'Terminal: the app cannot open a shell through JupyterHub; open the server and use Jupyter\'s terminal.',
  ssh: 'SSH: it runs no Hubdeck SSH gateway.',
  expiry: 'Expiry: servers do not expire there; the hub\'s idle culler decides when they stop.',
} as const;

export function NotOnJupyterHub({ what }: { what: readonly (keyof typeof NOT_ON_JUPYTERHUB)[] }) {
  return (
    <section aria-labelledby="not-on-jh-h" className="panel">
      <h2 id="not-on-jh-h">Not available on a JupyterHub</h2>
      <ul data-testid="not-on-jupyterhub">
        {what.map((k) => <li key={k}>{NOT_ON_JUPYTERHUB[k]}</li>)}
      </ul>
    </section>
  );
}
