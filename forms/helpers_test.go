package forms

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// knownThemes is the part of the taxonomy the test definitions use.
var knownThemes = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`UNTOC TIP SOM FA UNTOC.C1 UNTOC.C2 UNTOC.C3 UNTOC.C4
		TIP.C1 UNTOC.ART5 TIP.ART3 XC.GENDER XC.HUMAN_RIGHTS XC.VICTIMS XC.CORRUPTION
		XC.ENVIRONMENT XC.CYBERCRIME WG.IC WG.TA WG.TIP WG.SOM WG.FA`) {
		knownThemes[c] = true
	}
}

func themeKnown(code string) bool { return knownThemes[code] }

// loadDefinition reads a definition from testdata.
func loadDefinition(t testing.TB, name string) *Definition {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var d Definition
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &d
}

// mustCompile compiles a definition that must be valid.
func mustCompile(t testing.TB, d *Definition) *Form {
	t.Helper()
	f, err := Compile(d, themeKnown)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return f
}

// fields lists the problems of err as "path: message" lines.
func fields(err error) []string {
	ve, ok := err.(*ValidationError)
	if !ok || ve == nil {
		return nil
	}
	out := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		out[i] = f.Path + ": " + f.Message
	}
	return out
}
