/** Invites (a one-time code a teammate trades for a token of theirs) as the API shows them. */
import type { CreatedToken } from './user-dto';

export interface InviteView {
  id: string;
  /** Who it is for: an existing user of the hub. */
  user: string;
  note: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** Where a shared hub is reached: what goes into its invites. */
export interface HubAddress {
  url: string;
  /** SHA-256 of its self-signed certificate (64 hex digits), or null when a CA signs it. */
  fingerprint: string | null;
}

export interface CreatedInvite extends InviteView {
  /** The one-time code: shown once, never stored. */
  code: string;
  hubId: string;
  /** Where the hub is shared, when it is (null: the inviter names the address). */
  shared: HubAddress | null;
}

export interface RedeemedInvite {
  hubId: string;
  user: string;
  token: CreatedToken;
}
