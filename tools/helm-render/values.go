package main

// Values the way Helm builds them: the chart's values.yaml, then each -f file, then each
// --set, coalesced (a later source wins, maps merge key by key, null deletes a key).
// Numbers read from YAML files become float64, as Helm's sigs.k8s.io/yaml reader makes
// them (YAML -> JSON -> encoding/json); numbers from --set become int64, as in strvals.

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	yaml2 "gopkg.in/yaml.v2"
)

// readYAMLMap parses one YAML document into JSON-typed Go values (map[string]any, []any,
// float64, string, bool, nil), like sigs.k8s.io/yaml.Unmarshal.
func readYAMLMap(data []byte) (map[string]any, error) {
	var raw any
	if err := yaml2.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	j, err := json.Marshal(jsonable(raw))
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if string(j) == "null" {
		return out, nil
	}
	if err := json.Unmarshal(j, &out); err != nil {
		return nil, fmt.Errorf("not a map of values: %w", err)
	}
	return out, nil
}

// jsonable turns yaml.v2's map[interface{}]interface{} into map[string]any.
func jsonable(v any) any {
	switch t := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = jsonable(val)
		}
		return m
	case []any:
		for i := range t {
			t[i] = jsonable(t[i])
		}
	}
	return v
}

func readValuesFile(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := readYAMLMap(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// coalesce merges src into dst (src wins), like Helm's CoalesceTables with the user's
// values as src: nested maps merge, a null in src deletes the key.
func coalesce(dst, src map[string]any) map[string]any {
	for k, sv := range src {
		if sv == nil {
			delete(dst, k)
			continue
		}
		sm, sIsMap := sv.(map[string]any)
		dm, dIsMap := dst[k].(map[string]any)
		if sIsMap && dIsMap {
			dst[k] = coalesce(dm, sm)
		} else {
			dst[k] = sv
		}
	}
	return dst
}

// applySet handles one --set a.b.c=value: dotted keys (a "\." is a literal dot), values
// typed like Helm's strvals (true/false, null, whole numbers as int64, else string),
// and {x,y} lists. Not covered: list indexes (a[0]=x) and commas joining several pairs.
func applySet(values map[string]any, expr string) error {
	eq := strings.Index(expr, "=")
	if eq <= 0 {
		return fmt.Errorf("--set %q: expected key=value", expr)
	}
	keys := splitKey(expr[:eq])
	cur := values
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[keys[len(keys)-1]] = typedValue(expr[eq+1:])
	return nil
}

func splitKey(key string) []string {
	parts := strings.Split(strings.ReplaceAll(key, `\.`, "\x00"), ".")
	for i := range parts {
		parts[i] = strings.ReplaceAll(parts[i], "\x00", ".")
	}
	return parts
}

func typedValue(s string) any {
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		items := []any{}
		for _, item := range strings.Split(s[1:len(s)-1], ",") {
			if item != "" {
				items = append(items, typedValue(item))
			}
		}
		return items
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	// strvals: a leading zero keeps a string ("007"); otherwise a whole number is int64.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (s == "0" || !strings.HasPrefix(s, "0")) {
		return n
	}
	return s
}
