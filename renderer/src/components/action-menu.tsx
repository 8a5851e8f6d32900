/**
 * A row's secondary actions behind one button (the WAI-ARIA menu button pattern, as in Docker
 * Desktop and Coder): the button says aria-haspopup="menu" and whether it is open; opening puts
 * focus on the first item, arrow keys, Home and End move between items, Escape closes and gives
 * focus back to the button, Tab or a click elsewhere closes. The menu is placed fixed under its
 * button (positioned through the CSSOM, which the CSP allows), so a scrolling table cannot clip it,
 * and follows the button when the page or the table scrolls.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
}

/** Where focus goes for a key, over the enabled items (wrapping); null: the key is not the menu's. Pure. */
export function nextIndex(key: string, current: number, enabled: boolean[]): number | null {
  const order = enabled.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
  if (order.length === 0) return null;
  const at = order.indexOf(current);
  switch (key) {
    case 'ArrowDown': return order[(at + 1) % order.length]!;
    case 'ArrowUp': return order[(at - 1 + order.length) % order.length]!;
    case 'Home': return order[0]!;
    case 'End': return order[order.length - 1]!;
    default: return null;
  }
}

export function ActionMenu({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();
  const enabled = items.map((i) => !i.disabled);

  const focusItem = (i: number) => menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')[i]?.focus();
  const close = (refocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (refocus) button.current?.focus();
  };

  const placeUnderButton = () => {
    const r = button.current?.getBoundingClientRect();
    if (r) setPlace({ top: r.bottom + 4, right: Math.max(8, document.documentElement.clientWidth - r.right) });
  };
  useLayoutEffect(() => { if (open) placeUnderButton(); }, [open]);
  // Focus goes in once the menu is placed (a hidden menu cannot take it).
  const placed = place !== null;
  useEffect(() => {
    if (open && placed) focusItem(enabled.indexOf(true));
  }, [open, placed]);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close(false);
    };
    // A scroll or resize moves the button: the menu follows it (closing on scroll lost menus opened near an edge).
    const moved = () => placeUnderButton();
    document.addEventListener('pointerdown', away);
    window.addEventListener('resize', moved);
    window.addEventListener('scroll', moved, true);
    return () => {
      document.removeEventListener('pointerdown', away);
      window.removeEventListener('resize', moved);
      window.removeEventListener('scroll', moved, true);
    };
    // Opening is the only change that moves focus: items changing state must not steal it back.
  }, [open]);

  const onMenuKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); return; }
    if (e.key === 'Tab') { close(false); return; }
    const current = [...(menu.current?.querySelectorAll('[role="menuitem"]') ?? [])].indexOf(document.activeElement as Element);
    const next = nextIndex(e.key, current, enabled);
    if (next !== null) { e.preventDefault(); focusItem(next); }
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); setOpen(true); }
  };

  return (
    <>
      <button ref={button} type="button" className="menu-button" aria-haspopup="menu" aria-expanded={open} aria-controls={open ? id : undefined}
        aria-label={label} onClick={() => setOpen((o) => !o)} onKeyDown={onButtonKey}>
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div ref={menu} id={id} role="menu" aria-label={label} className="menu" onKeyDown={onMenuKey}
          style={place ? { top: place.top, right: place.right } : { visibility: 'hidden' }}>
          {items.map((item) => (
            <button key={item.label} type="button" role="menuitem" tabIndex={-1} disabled={item.disabled} className={item.danger ? 'danger' : undefined}
              onClick={() => { close(true); item.onSelect(); }}>
              {item.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
