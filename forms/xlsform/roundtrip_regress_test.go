package xlsform

import (
	"bytes"
	"slices"
	"testing"
)

// roundTripRegressions are workbooks the fuzzer found whose export did not
// re-import identically, and their neighbours; they are seeds of
// FuzzImportSheets too.
var roundTripRegressions = []struct{ name, md string }{
	// A text in a language, on a row of settings that is not read, gave
	// the questionnaire a language its export then lost.
	{"language only in an ignored settings row", `
| survey |
|  | type | name | label |
|  | text | q1 | Question one |
| settings |
|  | form_id | form_title | form_title::Français (fr) |
|  | languages | Languages | |
|  | | | Langues |
`},
}

// TestRoundTripRegressions checks that each of roundTripRegressions
// survives export and import unchanged, as FuzzImportSheets asks.
func TestRoundTripRegressions(t *testing.T) {
	for _, tc := range roundTripRegressions {
		t.Run(tc.name, func(t *testing.T) {
			checkImport(t, buildXLSX(t, md(tc.md)))
			def, _ := mustImport(t, tc.md)
			if !slices.Equal(def.Languages, []string{"en"}) {
				t.Errorf("languages %v, want [en]: the second settings row is not read", def.Languages)
			}
		})
	}
}

// filterRoundTrips are workbooks whose choice filter tests a column that
// no choice fills, or one named like a question: the export must still
// write that column, or its re-import reads the bare name as a text. The
// fuzzer found the first; they are seeds of FuzzImportSheets too.
var filterRoundTrips = []struct{ name, md string }{
	{"column empty in every choice", `
| survey |
|  | type | name | label | choice_filter |
|  | select_one countries | country | Country | |
|  | select_one cities | city | City | country=${country} |
| choices |
|  | list_name | name | label | country |
|  | countries | fr | France | |
|  | cities | paris | Paris | |
`},
	{"column filled in some choices only", `
| survey |
|  | type | name | label | choice_filter |
|  | select_one countries | country | Country | |
|  | select_one cities | city | City | country=${country} or country='' |
| choices |
|  | list_name | name | label | country |
|  | countries | fr | France | |
|  | countries | it | Italy | |
|  | cities | paris | Paris | fr |
|  | cities | anywhere | Anywhere | |
`},
	{"column of another list only", `
| survey |
|  | type | name | label | choice_filter |
|  | select_one countries | country | Country | |
|  | select_one cities | city | City | region=${country} |
| choices |
|  | list_name | name | label | region |
|  | countries | fr | France | europe |
|  | cities | paris | Paris | |
`},
}

// TestRoundTripFilterColumns checks that a choice filter's columns come
// back from the export, filled or not.
func TestRoundTripFilterColumns(t *testing.T) {
	for _, tc := range filterRoundTrips {
		t.Run(tc.name, func(t *testing.T) {
			checkImport(t, buildXLSX(t, md(tc.md)))
			def, _ := mustImport(t, tc.md)
			var buf bytes.Buffer
			if err := Export(def, &buf); err != nil {
				t.Fatal(err)
			}
			again, rep, err := Import(t.Context(), &buf, Options{})
			if err != nil {
				t.Fatalf("re-import: %v\n%s", err, rep)
			}
			if got, want := again.Questions()[1].ChoiceFilter, def.Questions()[1].ChoiceFilter; got != want || want == "" {
				t.Errorf("choice filter %q after the round trip, want %q", got, want)
			}
		})
	}
}
