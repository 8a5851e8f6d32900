/**
 * First steps on an empty hub (#/welcome, linked from the empty Workspaces page): what to do next,
 * with this hub's own facts — which listed images run on its engine, and when none does, how to get
 * the offline ones (`npm run images`) and list them. No dead end: every step links to where it is done.
 */
import type { ImageRecord } from '../../../main/api/dto';
import { availabilityText, canRun, imageTitle, OFFLINE_IMAGES_HELP } from '../../../main/api/image-availability-text';
import { useHub } from '../lib/hub-context';
import { hrefOf } from '../lib/router';
import { useLoad } from '../lib/use-load';

function ImagesStep({ images, admin }: { images: ImageRecord[] | null; admin: boolean }) {
  if (images === null) return <p className="muted">Checking which images run on this hub’s engine…</p>;
  const ready = images.filter((i) => i.availability?.state === 'present');
  return (
    <>
      {images.length > 0 && (
        <ul data-testid="first-run-images">
          {images.map((i) => <li key={i.name}><strong>{imageTitle(i)}</strong> <span className="mono">{i.ref}</span> — {availabilityText(i.availability)}{i.isDefault ? ' (preselected)' : ''}</li>)}
        </ul>
      )}
      {ready.length > 0 && <p>Ready without a download: {ready.map(imageTitle).join(', ')}.</p>}
      {!images.some(canRun) && <p className="notice" data-testid="first-run-offline">{OFFLINE_IMAGES_HELP}</p>}
      {admin && <p><a href={hrefOf({ page: 'admin', section: 'images' })}>Admin › Images</a>: add images and choose the one the form preselects.</p>}
    </>
  );
}

export function FirstRunPage() {
  const { client, info } = useHub();
  const images = useLoad(() => client.listImages(), [client]);
  const canCreate = Boolean(info.capabilities.create);
  return (
    <main id="main" className="first-run">
      <h1>Welcome to Hubdeck</h1>
      <p>This hub has no workspaces yet. Three steps to your first one:</p>
      <ol>
        <li>
          <h2>An image that runs here</h2>
          {images.error ? <p role="alert" className="alert">{images.error}</p> : <ImagesStep images={images.data ?? null} admin={info.user.admin} />}
        </li>
        <li>
          <h2>Create a workspace</h2>
          {canCreate
            ? <p><a className="button primary" href={hrefOf({ page: 'new' })}>New workspace</a> — a name is enough; the image, limits and days to live have defaults.</p>
            : <p>Workspaces are not created from here on this hub.</p>}
        </li>
        <li>
          <h2>Open it</h2>
          <p>Its page opens Jupyter in the browser. For a terminal, VS Code or scp: run <code>hubdeck ssh-config</code> once, then <code>ssh NAME.hubdeck</code>.</p>
        </li>
      </ol>
      <p><a href={hrefOf({ page: 'workspaces' })}>Back to Workspaces</a></p>
    </main>
  );
}
