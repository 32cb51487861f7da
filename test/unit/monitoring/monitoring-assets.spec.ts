/**
 * Static checks of the monitoring assets, without Redis or Prometheus: the dashboard is
 * valid JSON whose every expression reads known metrics, and every alert has a runbook
 * section. The live comparison with real scrapes is in test/integration/monitoring.
 */
import { readFileSync } from 'node:fs';
import { METRIC } from '../../../src/metrics/metric-names';
import {
  checkedInExporterNames,
  dashboardExpressions,
  dashboardPanels,
  metricNames,
  MONITORING_DOC_FILE,
  readDashboard,
  readRules,
  RUNBOOK_FILE,
  usedMetricNames,
} from '../../support/monitoring-assets';

/** Names a histogram or counter of METRIC appears under in the exposition format. */
const appNames = new Set(
  Object.values(METRIC).flatMap((n) => [n, `${n}_bucket`, `${n}_count`, `${n}_sum`]),
);

describe('monitoring assets', () => {
  it('has a parseable dashboard with unique panel ids and a query on every panel', () => {
    const dashboard = readDashboard();
    const panels = dashboardPanels(dashboard).filter((p) => p.type !== 'row');
    const ids = dashboardPanels(dashboard).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toBe('tollgate-overview');
    for (const panel of panels) expect(panel.targets?.length ?? 0).toBeGreaterThan(0);
  });

  it('reads only metrics defined in src/metrics, default process metrics, exporter names and recorded series', () => {
    const used = usedMetricNames();
    const { records } = readRules();
    expect(used.app.filter((n) => n.startsWith('tollgate_') && !appNames.has(n))).toEqual([]);
    expect(used.redis.filter((n) => !checkedInExporterNames().has(n))).toEqual([]);
    expect(used.recorded.filter((n) => !records.includes(n))).toEqual([]);
    expect(used.other).toEqual(['up']);
  });

  it('uses at least one metric in every dashboard expression', () => {
    for (const expr of dashboardExpressions(readDashboard())) {
      expect({ expr, names: metricNames(expr).length > 0 }).toEqual({ expr, names: true });
    }
  });

  it('gives every alert a runbook_url whose anchor is a section of docs/runbook.md', () => {
    const runbook = readFileSync(RUNBOOK_FILE, 'utf8');
    const headings = new Set([...runbook.matchAll(/^## (\w+)$/gm)].map((m) => m[1].toLowerCase()));
    const { alerts } = readRules();
    expect(alerts.length).toBeGreaterThanOrEqual(15);
    for (const { name, runbookUrl } of alerts) {
      expect({ name, runbookUrl }).toEqual({
        name,
        runbookUrl: `docs/runbook.md#${name.toLowerCase()}`,
      });
      expect({ name, section: headings.has(name.toLowerCase()) }).toEqual({ name, section: true });
    }
  });

  it('lists every alert and every tollgate metric in docs/monitoring.md', () => {
    const doc = readFileSync(MONITORING_DOC_FILE, 'utf8');
    const missing = [...readRules().alerts.map((a) => a.name), ...Object.values(METRIC)].filter(
      (name) => !doc.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
