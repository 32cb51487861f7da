/**
 * Reads the monitoring assets (Prometheus rules, Grafana dashboard, the checked-in list of
 * prometheus-redis-exporter metric names) and pulls the metric names out of their PromQL,
 * so tests can compare them with what the app and the exporter really export.
 *
 * The rules file is YAML; promtool (.ci/check-monitoring) parses it for real. Here a small
 * reader picks out the `expr:`, `record:`, `alert:` and `runbook_url:` values (inline or
 * block scalars), which is all these tests need and keeps a YAML parser out of the
 * dependencies.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const RULES_FILE = path.join(ROOT, 'deploy/prometheus/rules/tollgate.yml');
export const DASHBOARD_FILE = path.join(ROOT, 'deploy/grafana/tollgate-dashboard.json');
export const EXPORTER_METRICS_FILE = path.join(
  ROOT,
  'deploy/prometheus/redis-exporter-metrics.txt',
);
export const RUNBOOK_FILE = path.join(ROOT, 'docs/runbook.md');
export const MONITORING_DOC_FILE = path.join(ROOT, 'docs/monitoring.md');

export interface RuleSet {
  /** Every `expr:` of alerting and recording rules, in file order. */
  readonly exprs: string[];
  /** Names of the recording rules. */
  readonly records: string[];
  readonly alerts: { name: string; runbookUrl: string | undefined; expr: string }[];
}

/** Values of `key:` in a YAML file: inline scalars unquoted, block scalars joined. */
function yamlValues(text: string, key: string): { line: number; value: string }[] {
  const lines = text.split('\n');
  const out: { line: number; value: string }[] = [];
  const pattern = new RegExp(`^(\\s*)(?:- )?${key}:\\s*(.*)$`);
  lines.forEach((line, i) => {
    const match = pattern.exec(line);
    if (!match) return;
    const indent = match[1].length;
    const inline = match[2].trim();
    if (!/^[|>][+-]?$/.test(inline)) {
      out.push({ line: i, value: inline.replace(/^(["'])(.*)\1$/, '$2') });
      return;
    }
    const block: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() !== '' && lines[j].search(/\S/) <= indent) break;
      block.push(lines[j].trim());
    }
    out.push({ line: i, value: block.join(' ').trim() });
  });
  return out;
}

export function readRules(): RuleSet {
  const text = readFileSync(RULES_FILE, 'utf8');
  const exprs = yamlValues(text, 'expr');
  const alerts = yamlValues(text, 'alert').map(({ line, value }) => {
    // An alert's own fields come before the next rule starts.
    const next = [...yamlValues(text, 'alert'), ...yamlValues(text, 'record')]
      .map((v) => v.line)
      .filter((l) => l > line)
      .sort((a, b) => a - b)[0];
    const inRule = (v: { line: number }) => v.line > line && (next === undefined || v.line < next);
    return {
      name: value,
      runbookUrl: yamlValues(text, 'runbook_url').find(inRule)?.value,
      expr: exprs.find(inRule)?.value ?? '',
    };
  });
  return {
    exprs: exprs.map((e) => e.value),
    records: yamlValues(text, 'record').map((r) => r.value),
    alerts,
  };
}

interface DashboardPanel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly targets?: { expr?: string }[];
  readonly panels?: DashboardPanel[];
}

export interface Dashboard {
  readonly uid: string;
  readonly panels: DashboardPanel[];
  readonly templating: { list: { name: string; query?: unknown }[] };
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function dashboardPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** PromQL of every panel target and of `label_values(<selector>, label)` variables. */
export function dashboardExpressions(dashboard: Dashboard): string[] {
  const targets = dashboardPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const variables = dashboard.templating.list.map((v) => {
    const query =
      typeof v.query === 'object' && v.query ? (v.query as { query?: string }).query : v.query;
    const match = /^label_values\((.*),\s*\w+\)$/.exec(String(query ?? ''));
    return match?.[1];
  });
  return [...targets, ...variables].filter((e): e is string => typeof e === 'string' && e !== '');
}

/** PromQL functions, aggregations and keywords these files use (anything else is a metric). */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'increase',
  'changes',
  'absent',
  'histogram_quantile',
  'last_over_time',
  'time',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/**
 * Metric names (and recording-rule names) an expression reads. Strings, label matchers,
 * range selectors and grouping label lists are removed first, so label names never count.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const words = stripped.match(/(?<![\w.$])[A-Za-z_:][\w:]*/g) ?? [];
  return [...new Set(words.filter((w) => !PROMQL_WORDS.has(w)))];
}

/** Metric names in a Prometheus text exposition (sample lines, with histogram suffixes). */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    names.add(line.split(/[{\s]/)[0]);
  }
  return names;
}

/** The checked-in names from a real prometheus-redis-exporter scrape (comments skipped). */
export function checkedInExporterNames(): Set<string> {
  const text = readFileSync(EXPORTER_METRICS_FILE, 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

/** Every metric name the rules and the dashboard read, split by who must export it. */
export function usedMetricNames(): {
  app: string[];
  redis: string[];
  recorded: string[];
  other: string[];
} {
  const all = new Set(
    [...readRules().exprs, ...dashboardExpressions(readDashboard())].flatMap(metricNames),
  );
  const names = [...all].sort();
  return {
    app: names.filter((n) => /^(tollgate|process|nodejs)_/.test(n)),
    redis: names.filter((n) => n.startsWith('redis_')),
    recorded: names.filter((n) => n.includes(':')),
    other: names.filter((n) => !/^(tollgate_|process_|nodejs_|redis_)/.test(n) && !n.includes(':')),
  };
}
