package forms

import "testing"

// TestExampleCompiles keeps the example of docs/questionnaire-format.md
// (the same JSON as testdata/example.json) valid.
func TestExampleCompiles(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	types := map[string]bool{}
	for _, q := range f.Definition().Questions() {
		types[q.Type] = true
	}
	for _, typ := range QuestionTypes {
		if !types[typ] {
			t.Errorf("the example has no %s question", typ)
		}
	}
}
