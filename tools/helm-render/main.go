// Command helm-render renders a Helm chart the way `helm template` does, for machines
// without the helm binary (docs/deployment.md, "The Helm renderer"). Usage:
//
//	helm-render [--name R] [--namespace N] [-f values.yaml]... [--set a.b=c]...
//	            [--upgrade] [--kube-minor 27] [--api-versions g/v,...] [--notes FILE] CHART
//
// Writes the manifests to stdout as `---\n# Source: <chart>/templates/x.yaml\n...`, objects
// first in Helm's install order by kind, then the hooks (as `helm template` does).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/Masterminds/sprig"
	yaml2 "gopkg.in/yaml.v2"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

type options struct {
	name, namespace, kubeMinor, apiVersions, notes, chart string
	upgrade                                               bool
	valueFiles, sets                                      multi
}

func main() {
	var o options
	flag.StringVar(&o.name, "name", "release-name", "release name")
	flag.StringVar(&o.namespace, "namespace", "default", "release namespace")
	flag.StringVar(&o.kubeMinor, "kube-minor", "27", "Kubernetes minor version for .Capabilities")
	flag.StringVar(&o.apiVersions, "api-versions", "", "extra API versions for .Capabilities.APIVersions")
	flag.StringVar(&o.notes, "notes", "", "write the rendered NOTES.txt to this file")
	flag.BoolVar(&o.upgrade, "upgrade", false, "render as an upgrade (IsUpgrade, Revision 2)")
	flag.Var(&o.valueFiles, "f", "values file (repeatable)")
	flag.Var(&o.sets, "set", "a.b=c (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-render [flags] CHART_DIR")
		os.Exit(2)
	}
	o.chart = flag.Arg(0)
	out, err := run(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
		os.Exit(1)
	}
	fmt.Print(out)
}

func run(o options) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	chartMeta, err := readValuesFile(filepath.Join(o.chart, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	chart := chartObject(chartMeta)
	name := chart["Name"].(string)
	if name == "" {
		return "", fmt.Errorf("Chart.yaml: name is required")
	}
	values, err := userValues(o)
	if err != nil {
		return "", err
	}
	caps := newCapabilities(o.kubeMinor, splitList(o.apiVersions))
	if kv, _ := chart["KubeVersion"].(string); kv != "" {
		check := sprig.TxtFuncMap()["semverCompare"].(func(string, string) (bool, error))
		if ok, err := check(kv, caps.KubeVersion.Version); err != nil || !ok {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", kv, caps.KubeVersion.Version)
		}
	}
	templates, files, err := loadFiles(o.chart, name)
	if err != nil {
		return "", err
	}
	revision := 1
	if o.upgrade {
		revision = 2
	}
	top := map[string]any{
		"Values": values,
		"Chart":  chart,
		"Release": map[string]any{
			"Name": o.name, "Namespace": o.namespace, "Service": "Helm",
			"IsInstall": !o.upgrade, "IsUpgrade": o.upgrade, "Revision": revision,
		},
		"Capabilities": caps,
		"Files":        files,
		"Subcharts":    map[string]any{},
	}
	rendered, err := render(templates, top, name+"/templates")
	if err != nil {
		return "", err
	}
	notesName := name + "/templates/NOTES.txt"
	if o.notes != "" {
		if err := os.WriteFile(o.notes, []byte(rendered[notesName]), 0o644); err != nil {
			return "", err
		}
	}
	delete(rendered, notesName)
	return manifests(rendered)
}

func userValues(o options) (map[string]any, error) {
	values, err := readValuesFile(filepath.Join(o.chart, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range o.valueFiles {
		m, err := readValuesFile(f)
		if err != nil {
			return nil, err
		}
		values = coalesce(values, m)
	}
	sets := map[string]any{}
	for _, s := range o.sets {
		if err := applySet(sets, s); err != nil {
			return nil, err
		}
	}
	return coalesce(values, sets), nil
}

// chartObject gives Chart.yaml's fields Helm's capitalised names (chart.Metadata).
func chartObject(meta map[string]any) map[string]any {
	names := map[string]string{
		"apiVersion": "APIVersion", "appVersion": "AppVersion", "kubeVersion": "KubeVersion",
	}
	fields := []string{"name", "version", "description", "type", "home", "icon",
		"apiVersion", "appVersion", "kubeVersion", "condition", "tags"}
	out := map[string]any{"Keywords": []any{}, "Sources": []any{}, "Maintainers": []any{},
		"Annotations": map[string]any{}, "Dependencies": []any{}, "Deprecated": false}
	for _, f := range fields {
		out[capitalise(f, names)] = ""
	}
	for k, v := range meta {
		out[capitalise(k, names)] = v
	}
	return out
}

func capitalise(k string, special map[string]string) string {
	if s, ok := special[k]; ok {
		return s
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

var installOrder = strings.Fields(`PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange
	PodSecurityPolicy PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass
	PersistentVolume PersistentVolumeClaim CustomResourceDefinition ClusterRole ClusterRoleList
	ClusterRoleBinding ClusterRoleBindingList Role RoleList RoleBinding RoleBindingList Service
	DaemonSet Pod ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler StatefulSet
	Job CronJob IngressClass Ingress APIService MutatingWebhookConfiguration
	ValidatingWebhookConfiguration`)

type manifest struct{ path, kind, content string }

var docSep = regexp.MustCompile(`(?m)^---[ \t]*`)

// manifests splits each rendered file into documents (dropping blank ones), separates
// hooks (a helm.sh/hook annotation), sorts both by kind and prints them like helm template.
func manifests(rendered map[string]string) (string, error) {
	paths := make([]string, 0, len(rendered))
	for p := range rendered {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var objects, hooks []manifest
	for _, p := range paths {
		if strings.TrimSpace(rendered[p]) == "" {
			continue
		}
		for _, doc := range docSep.Split(strings.TrimLeftFunc(rendered[p], unicode.IsSpace), -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			doc = strings.TrimLeftFunc(doc, unicode.IsSpace)
			var head struct {
				Kind     string `yaml:"kind"`
				Metadata struct {
					Annotations map[string]string `yaml:"annotations"`
				} `yaml:"metadata"`
			}
			if err := yaml2.Unmarshal([]byte(doc), &head); err != nil {
				return "", fmt.Errorf("YAML parse error on %s: %w", p, err)
			}
			m := manifest{path: p, kind: head.Kind, content: doc}
			if _, ok := head.Metadata.Annotations["helm.sh/hook"]; ok {
				hooks = append(hooks, m)
			} else {
				objects = append(objects, m)
			}
		}
	}
	var b strings.Builder
	for _, m := range append(byKind(objects), byKind(hooks)...) {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.path, m.content)
	}
	return b.String(), nil
}

func byKind(ms []manifest) []manifest {
	rank := map[string]int{}
	for i, k := range installOrder {
		rank[k] = i
	}
	sort.SliceStable(ms, func(i, j int) bool {
		a, aok := rank[ms[i].kind]
		b, bok := rank[ms[j].kind]
		switch {
		case !aok && !bok:
			return ms[i].kind < ms[j].kind
		case !aok:
			return false
		case !bok:
			return true
		}
		return a < b
	})
	return ms
}
