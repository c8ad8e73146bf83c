package selftest

import (
	"fmt"
	"strings"

	"github.com/scimulator/scimulator/reference"
)

// SelectFaults turns a comma-separated list of fault names (the --faults
// flag) into the faults to inject, in the order given. An empty list means
// every fault of reference.KnownFaults. Unknown, empty or repeated names
// are errors that list the known faults.
func SelectFaults(list string) ([]reference.Fault, error) {
	known := reference.KnownFaults()
	if strings.TrimSpace(list) == "" {
		return known, nil
	}
	byName := make(map[string]reference.Fault, len(known))
	for _, f := range known {
		byName[f.Name] = f
	}
	var out []reference.Fault
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		name := strings.TrimSpace(raw)
		f, ok := byName[name]
		switch {
		case name == "":
			return nil, fmt.Errorf("select faults %q: empty name in the list", list)
		case !ok:
			return nil, fmt.Errorf("select faults: unknown fault %q (known: %s)", name, strings.Join(faultNames(known), ", "))
		case seen[name]:
			return nil, fmt.Errorf("select faults: fault %q listed twice", name)
		}
		seen[name] = true
		out = append(out, f)
	}
	return out, nil
}

func faultNames(faults []reference.Fault) []string {
	names := make([]string, len(faults))
	for i, f := range faults {
		names[i] = f.Name
	}
	return names
}
