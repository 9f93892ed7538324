// Caps how many distinct apps, and releases per app, get buckets and Prometheus series. The first ones seen
// keep their names; later ones fold into "other", so a client inventing a release per request cannot grow
// storage or scrape size without bound. Seeded from the store's scopes at start-up.
import type { Scope } from './store/types';

export const OTHER = 'other';

export interface LabelCap {
  seed(scopes: readonly Scope[]): void;
  /** The scope to store under (may fold app and/or release into "other"). */
  resolve(app: string, release: string): Scope;
}

export function createLabelCap(maxApps: number, maxReleasesPerApp: number): LabelCap {
  const apps = new Map<string, Set<string>>();
  const admit = (app: string, release: string): Scope => {
    let releases = apps.get(app);
    if (!releases) {
      if (apps.size >= maxApps && app !== OTHER) return admit(OTHER, OTHER);
      apps.set(app, (releases = new Set()));
    }
    if (!releases.has(release)) {
      if (releases.size >= maxReleasesPerApp && release !== OTHER) return admit(app, OTHER);
      releases.add(release);
    }
    return { app, release };
  };
  return {
    seed(scopes) {
      for (const s of scopes) admit(s.app, s.release);
    },
    // "other" itself is always admitted, so the cap is maxApps + 1 and maxReleasesPerApp + 1.
    resolve: admit,
  };
}
