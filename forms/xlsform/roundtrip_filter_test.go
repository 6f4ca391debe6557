package xlsform

import (
	"bytes"
	"testing"
)

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
