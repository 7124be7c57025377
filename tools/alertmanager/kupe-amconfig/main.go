// kupe-amconfig answers two questions about Alertmanager configuration with Alertmanager's own
// code (the release pinned in ../go.mod), so the Kupe server never re-implements its rules:
//
//	kupe-amconfig check          reads a whole configuration (YAML or JSON) on stdin and loads it
//	                             with config.Load, as `alertmanager --config.file` does; exit 0 and
//	                             no output when it loads, exit 1 and the loader's error on stderr
//	                             when it does not.
//	kupe-amconfig secret-paths   prints, as a JSON array, the path of every field whose type
//	                             Alertmanager itself treats as a secret (it marshals them as
//	                             "<secret>"), e.g. "receivers[].slack_configs[].api_url". The server
//	                             masks exactly these on read (docs/decisions/0017-alertmanager-config.md).
//	kupe-amconfig keys           prints the YAML keys of a receiver, a route and the global
//	                             section, so a test can hold the API's schemas to this release.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/prometheus/alertmanager/config"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kupe-amconfig check|secret-paths|keys")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "check":
		in, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if _, err := config.Load(string(in)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "secret-paths":
		out, _ := json.Marshal(secretPaths(reflect.TypeOf(config.Config{})))
		fmt.Println(string(out))
	case "keys":
		out, _ := json.Marshal(map[string][]string{
			"receiver": keysOf(reflect.TypeOf(config.Receiver{})),
			"route":    keysOf(reflect.TypeOf(config.Route{})),
			"global":   keysOf(reflect.TypeOf(config.GlobalConfig{})),
		})
		fmt.Println(string(out))
	default:
		fmt.Fprintln(os.Stderr, "usage: kupe-amconfig check|secret-paths|keys")
		os.Exit(2)
	}
}

// secretTypes are the type names whose values Alertmanager and prometheus/common marshal as
// "<secret>": common/config.Secret, and alertmanager's SecretURL and SecretTemplateURL.
var secretTypes = map[string]bool{"Secret": true, "SecretURL": true, "SecretTemplateURL": true}

func secretPaths(root reflect.Type) []string {
	found := map[string]bool{}
	walk(root, "", map[reflect.Type]bool{}, found)
	out := make([]string, 0, len(found))
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// walk follows YAML field names through structs, pointers, slices ("[]") and maps ("*"); a type
// already on the current path is not entered again, so recursive types (routes) end.
func walk(t reflect.Type, path string, onPath map[reflect.Type]bool, found map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if secretTypes[t.Name()] {
		found[path] = true
		return
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		walk(t.Elem(), path+"[]", onPath, found)
	case reflect.Map:
		walk(t.Elem(), join(path, "*"), onPath, found)
	case reflect.Struct:
		if onPath[t] {
			return
		}
		onPath[t] = true
		defer delete(onPath, t)
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, inline := yamlName(f)
			switch {
			case inline:
				walk(f.Type, path, onPath, found)
			case name != "":
				walk(f.Type, join(path, name), onPath, found)
			}
		}
	}
}

// keysOf lists a struct's YAML keys in declaration order.
func keysOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name, _ := yamlName(t.Field(i)); name != "" && t.Field(i).IsExported() {
			out = append(out, name)
		}
	}
	return out
}

func yamlName(f reflect.StructField) (name string, inline bool) {
	tag, ok := f.Tag.Lookup("yaml")
	if !ok {
		return "", f.Anonymous
	}
	parts := strings.Split(tag, ",")
	for _, p := range parts[1:] {
		if p == "inline" {
			return "", true
		}
	}
	if parts[0] == "-" {
		return "", false
	}
	return parts[0], false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
