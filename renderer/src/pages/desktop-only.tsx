/** What a desktop-only page shows in a browser: what it is for and where to find it. */
export function DesktopOnly({ title, what }: { title: string; what: string }) {
  return (
    <main id="main">
      <h1>{title}</h1>
      <p>{what} This is a feature of the Hubdeck desktop app; a browser tab cannot do it.</p>
    </main>
  );
}
