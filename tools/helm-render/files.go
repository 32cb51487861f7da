package main

// .Files and .Capabilities: the objects and methods templates call on them.

import (
	"encoding/base64"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Files holds the chart's non-template files by slash path, like Helm's .Files: not
// templates/, Chart.yaml, values.yaml, values.schema.json, charts/ nor what .helmignore drops.
type Files map[string][]byte

func (f Files) Get(name string) string      { return string(f[name]) }
func (f Files) GetBytes(name string) []byte { return f[name] }

// Glob matches with path.Match (Helm uses gobwas/glob, which also knows `**`).
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}

// AsConfig / AsSecrets: base names as keys, like Helm (as YAML for toYaml-free use).
func (f Files) AsConfig() string  { return f.asMap(func(b []byte) string { return string(b) }) }
func (f Files) AsSecrets() string { return f.asMap(base64.StdEncoding.EncodeToString) }

func (f Files) asMap(enc func([]byte) string) string {
	m := map[string]any{}
	for name, data := range f {
		m[path.Base(name)] = enc(data)
	}
	return toYAML(m)
}

func (f Files) Lines(name string) []string {
	s := string(f[name])
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// loadFiles reads a chart directory: templates by "<chart>/templates/<rel>", other files by
// their relative path. Symlinks are not followed out of the chart (helm refuses them too).
func loadFiles(dir, chartName string) (templates map[string]string, files Files, err error) {
	ignore := readHelmignore(dir)
	templates, files = map[string]string{}, Files{}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, werr error) error {
		if werr != nil {
			return werr
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(ignore, rel, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			return nil
		}
		data, rerr := os.ReadFile(p)
		if rerr != nil {
			return rerr
		}
		switch {
		case strings.HasPrefix(rel, "templates/"):
			templates[chartName+"/"+rel] = string(data)
		case rel == "Chart.yaml" || rel == "values.yaml" || rel == "values.schema.json" ||
			strings.HasPrefix(rel, "charts/"):
		default:
			files[rel] = data
		}
		return nil
	})
	return templates, files, err
}

// readHelmignore: one glob per line, `#` comments, a trailing `/` for directories only.
// Negations (`!`) are not supported.
func readHelmignore(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, ".helmignore"))
	if err != nil {
		return nil
	}
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	return append(patterns, ".helmignore")
}

func ignored(patterns []string, rel string, isDir bool) bool {
	for _, p := range patterns {
		if strings.HasSuffix(p, "/") {
			if !isDir {
				continue
			}
			p = strings.TrimSuffix(p, "/")
		}
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
		if ok, _ := path.Match(p, path.Base(rel)); ok {
			return true
		}
	}
	return false
}

// KubeVersion and Capabilities mirror Helm's chartutil types (the fields templates read).
type KubeVersion struct {
	Version, Major, Minor string
}

func (k KubeVersion) String() string     { return k.Version }
func (k KubeVersion) GitVersion() string { return k.Version }

type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	i := sort.SearchStrings(v, apiVersion)
	return i < len(v) && v[i] == apiVersion
}

type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion map[string]string
}

func newCapabilities(minor string, extra []string) Capabilities {
	apis := append([]string{
		"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2", "autoscaling/v1",
		"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	}, extra...)
	// Helm lists each group/version and each group/version/Kind.
	sort.Strings(apis)
	return Capabilities{
		KubeVersion: KubeVersion{Version: "v1." + minor + ".0", Major: "1", Minor: minor},
		APIVersions: VersionSet(apis),
		HelmVersion: map[string]string{"Version": "v3.15.0"},
	}
}
