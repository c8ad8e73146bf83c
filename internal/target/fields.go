package target

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// fieldNames maps each struct type of a profile file (by its Go name, as
// yaml's errors give it) to the field names a file may use there, from the
// struct tags of the given format ("yaml" or "json").
func fieldNames(format string) map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		if _, seen := out[t.String()]; seen {
			return
		}
		out[t.String()] = nil
		var names []string
		var collect func(t reflect.Type)
		collect = func(t reflect.Type) {
			for i := range t.NumField() {
				sf := t.Field(i)
				if !sf.IsExported() {
					continue
				}
				tag, _, _ := strings.Cut(sf.Tag.Get(format), ",")
				inline := strings.Contains(sf.Tag.Get(format), "inline") || (sf.Anonymous && sf.Tag.Get(format) == "")
				switch {
				case tag == "-":
					continue
				case inline && sf.Type.Kind() == reflect.Struct:
					collect(sf.Type)
					continue
				case tag == "":
					tag = sf.Name
					if format == "yaml" {
						tag = strings.ToLower(sf.Name) // yaml.v3's default
					}
				}
				if !slices.Contains(names, tag) {
					names = append(names, tag)
				}
				walk(sf.Type)
			}
		}
		collect(t)
		out[t.String()] = names
	}
	walk(reflect.TypeFor[file]())
	return out
}

// Decoder messages for an unknown field: yaml.v3's names the Go type,
// encoding/json's names only the field.
var (
	yamlUnknownField = regexp.MustCompile(`field (\S+) not found in type (\S+)`)
	jsonUnknownField = regexp.MustCompile(`json: unknown field "([^"]+)"`)
)

// explainUnknownFields rewrites a decoder's unknown-field message for
// people: no Go type names, and the closest known field suggested
// ("did you mean clientIPHeader?").
func explainUnknownFields(msg, format string) string {
	known := fieldNames(format)
	msg = yamlUnknownField.ReplaceAllStringFunc(msg, func(m string) string {
		sub := yamlUnknownField.FindStringSubmatch(m)
		return unknownField(sub[1], known[sub[2]])
	})
	return jsonUnknownField.ReplaceAllStringFunc(msg, func(m string) string {
		// JSON does not say where: suggest from every known field.
		var all []string
		for _, names := range known {
			all = append(all, names...)
		}
		slices.Sort(all)
		return unknownField(jsonUnknownField.FindStringSubmatch(m)[1], slices.Compact(all))
	})
}

func unknownField(name string, known []string) string {
	if best, ok := closest(name, known); ok {
		return fmt.Sprintf("unknown field %s (did you mean %s?)", name, best)
	}
	// A section's fields fit on a line up to about sixteen (the profile's
	// top level has thirteen); the JSON "every field" list is longer.
	if len(known) > 0 && len(known) <= 16 {
		return fmt.Sprintf("unknown field %s (known here: %s)", name, strings.Join(known, ", "))
	}
	return "unknown field " + name
}

// closest is the known name equal to name ignoring case, else the one
// within a small edit distance (a third of the name, at least 2), nearest
// first.
func closest(name string, known []string) (string, bool) {
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	best, bestD := "", max(2, len(name)/3)+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance between a and b (bytes: field
// names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
