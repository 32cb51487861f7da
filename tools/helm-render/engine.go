package main

// The template engine, after helm's pkg/engine (engine.go, funcs.go): sprig's TxtFuncMap
// without env/expandenv, Helm's extra functions, include/tpl bound to the template set,
// missingkey=zero with "<no value>" removed, partials (`_*`) defined but not rendered.

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml2 "gopkg.in/yaml.v2"
)

const recursionMax = 1000

// toYAML like Helm: JSON first (so keys sort and struct tags apply), then YAML (yaml.v2,
// as sigs.k8s.io/yaml does), without the final newline. Errors give "".
func toYAML(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj any
	if err := yaml2.Unmarshal(j, &obj); err != nil {
		return ""
	}
	out, err := yaml2.Marshal(obj)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

func toJSON(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(j)
}

func fromYAML(s string) map[string]any {
	m, err := readYAMLMap([]byte(s))
	if err != nil {
		return map[string]any{"Error": err.Error()}
	}
	return m
}

func fromJSON(s string) map[string]any {
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	extra := template.FuncMap{
		"toYaml":   toYAML,
		"fromYaml": fromYAML,
		"toJson":   toJSON,
		"fromJson": fromJSON,
		"mustToJson": func(v any) (string, error) {
			j, err := json.Marshal(v)
			return string(j), err
		},
		// No cluster here: lookup finds nothing, like `helm template` without --dry-run=server.
		"lookup": func(string, string, string, string) (map[string]any, error) {
			return map[string]any{}, nil
		},
		"required": func(warn string, val any) (any, error) {
			if s, ok := val.(string); val == nil || (ok && s == "") {
				return val, errors.New(warn)
			}
			return val, nil
		},
		"fail": func(msg string) (string, error) { return "", errors.New(msg) },
		// DNS lookups are off in Helm unless --enable-dns.
		"getHostByName": func(string) string { return "" },
		"include":       func(string, any) string { return "not implemented" },
		"tpl":           func(string, any) any { return "not implemented" },
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func includeFun(t *template.Template, names map[string]int) func(string, any) (string, error) {
	return func(name string, data any) (string, error) {
		if names[name] > recursionMax {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		names[name]++
		defer func() { names[name]-- }()
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
}

func tplFun(parent *template.Template, names map[string]int) func(string, any) (string, error) {
	return func(text string, vals any) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", err
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{"include": includeFun(t, names), "tpl": tplFun(t, names)})
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

// sortTemplates: deepest paths first, then by name, in reverse (helm's byPathLen).
func sortTemplates(names []string) {
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca == cb {
			return a > b
		}
		return ca > cb
	})
}

// render parses every template into one set and executes each non-partial with the
// top-level object (plus .Template). Returns rendered text by template name.
func render(templates map[string]string, top map[string]any, basePath string) (map[string]string, error) {
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	names := map[string]int{}
	fm := funcMap()
	fm["include"] = includeFun(t, names)
	fm["tpl"] = tplFun(t, names)
	t.Funcs(fm)

	keys := make([]string, 0, len(templates))
	for k := range templates {
		keys = append(keys, k)
	}
	sortTemplates(keys)
	for _, name := range keys {
		if _, err := t.New(name).Parse(templates[name]); err != nil {
			return nil, fmt.Errorf("parse error in %s: %w", name, err)
		}
	}
	out := map[string]string{}
	for _, name := range keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := map[string]any{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]any{"Name": name, "BasePath": basePath}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, err
		}
		out[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return out, nil
}
