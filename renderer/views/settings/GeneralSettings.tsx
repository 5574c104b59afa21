// Settings for every context: the production pattern (typed confirmation), the GPU-hour price the
// idle-GPU callouts turn into dollars, and the theme (applied at once).
import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/contract/app';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';

/** Why a production pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return `Not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export function GeneralSettings({ settings, readOnly }: { settings: Settings; readOnly: boolean }) {
  const setTheme = useAppStore((s) => s.setTheme);
  const [pattern, setPattern] = useState(settings.productionContextPattern);
  const [price, setPrice] = useState(String(settings.gpuHourPriceUsd));
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    setPattern(settings.productionContextPattern);
    setPrice(String(settings.gpuHourPriceUsd));
  }, [settings.productionContextPattern, settings.gpuHourPriceUsd]);

  const priceValue = Number(price);
  const priceProblem = price.trim() === '' || !Number.isFinite(priceValue) || priceValue < 0 ? 'The price must be a number of dollars, 0 or more.' : undefined;
  const problem = patternProblem(pattern) ?? priceProblem;

  const save = async () => {
    setMessage(undefined);
    try {
      const next = await getApi().call('settings.set', { productionContextPattern: pattern, gpuHourPriceUsd: priceValue });
      useAppStore.setState({ settings: next });
      setMessage({ ok: true, text: 'Saved.' });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section aria-label="General">
      <h2>General</h2>
      <form
        className="panel general-settings"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) void save();
        }}
      >
        <label>
          Production contexts <span className="muted">(regular expression on the context name; matching contexts need the workload’s name typed to confirm; empty = none)</span>
          <input className="mono" value={pattern} onChange={(e) => setPattern(e.target.value)} aria-label="Production context pattern" disabled={readOnly} />
        </label>
        <label>
          GPU price, $ per GPU-hour <span className="muted">(the idle-GPU callouts’ cost)</span>
          <input type="number" min={0} step="0.01" value={price} onChange={(e) => setPrice(e.target.value)} aria-label="GPU price per hour" disabled={readOnly} />
        </label>
        <label>
          Theme
          <select value={settings.theme} onChange={(e) => setTheme(e.target.value as Settings['theme'])} aria-label="Theme" disabled={readOnly}>
            <option value="dark">dark</option>
            <option value="light">light</option>
          </select>
        </label>
        {problem ? (
          <p className="health-failing" role="alert">
            {problem}
          </p>
        ) : null}
        {readOnly ? null : (
          <div>
            <button type="submit" className="primary" disabled={Boolean(problem)}>
              Save general settings
            </button>
          </div>
        )}
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'health-ok' : 'health-failing'}>
            {message.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}
