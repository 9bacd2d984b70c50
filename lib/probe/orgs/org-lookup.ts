/**
 * Who owns an address. `unknown` is a real answer (a private address, a prefix nobody listed); `failed`
 * means the question could not be answered, which a check must never count as a pass.
 */
export type OrgAnswer =
  | { readonly status: 'found'; readonly org: string }
  | { readonly status: 'unknown' }
  | { readonly status: 'failed'; readonly reason: string };

/** Finds the organisation owning an address, e.g. `AS64500 Example ISP`. Never rejects: failures are answers. */
export interface OrgLookup {
  readonly name: string;
  lookup(address: string, signal?: AbortSignal): Promise<OrgAnswer>;
}

/** Used when no org source is configured: every question fails, so org checks cannot pass by accident. */
export const noOrgLookup: OrgLookup = {
  name: 'none',
  lookup: () =>
    Promise.resolve({
      status: 'failed',
      reason: 'no org source configured (create config/orgs.csv or set ipinfo_token)',
    }),
};
