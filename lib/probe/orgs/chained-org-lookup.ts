import type { OrgAnswer, OrgLookup } from './org-lookup.js';

/**
 * Asks each source in turn until one knows the owner: orgs.csv first (the site's own knowledge wins), then
 * IPinfo. A failure is kept unless a later source finds the owner, so a failed lookup is never hidden
 * behind an "unknown".
 */
export class ChainedOrgLookup implements OrgLookup {
  readonly name: string;

  constructor(private readonly sources: readonly OrgLookup[]) {
    this.name = sources.map((source) => source.name).join('+');
  }

  async lookup(address: string, signal?: AbortSignal): Promise<OrgAnswer> {
    let answer: OrgAnswer = { status: 'unknown' };
    for (const source of this.sources) {
      const next = await source.lookup(address, signal);
      if (next.status === 'found') return next;
      if (next.status === 'failed' || answer.status !== 'failed') answer = next;
    }
    return answer;
  }
}
