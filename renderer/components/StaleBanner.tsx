// Says what failed and since when, while the last good data stays on screen.
import type { Freshness } from '../../shared/contract/metrics';
import { formatSince } from '../stores/time-range';

export function StaleBanner({ freshness, error, what }: { freshness?: Freshness; error?: { message: string; since: number }; what: string }) {
  if (freshness?.stale && freshness.error) {
    return (
      <div className="banner warning" role="alert" data-testid="stale-banner">
        <b>Showing {what} from {formatSince(freshness.fetchedAt)} — stale.</b> Prometheus failing since {formatSince(freshness.since)}: {freshness.error.message} Retrying with backoff.
      </div>
    );
  }
  if (error) {
    return (
      <div className="banner error" role="alert" data-testid="error-banner">
        <b>No {what}.</b> {error.message} (since {formatSince(new Date(error.since).toISOString())}; retrying with backoff)
      </div>
    );
  }
  return null;
}
