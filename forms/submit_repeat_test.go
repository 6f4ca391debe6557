package forms_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

const repeatDefinition = `{
  "code": "members", "kind": "other", "default_language": "en", "languages": ["en"],
  "title": {"en": "Members"},
  "sections": [{"code": "s", "questions": [
    {"code": "q_org", "type": "text", "label": {"en": "Organization"}},
    {"code": "q_members", "type": "repeat", "label": {"en": "Members"}, "questions": [
      {"code": "q_name", "type": "text", "label": {"en": "Name"}},
      {"code": "q_role", "type": "single_choice", "label": {"en": "Role"},
       "options": [{"code": "1", "label": {"en": "Staff"}}, {"code": "2", "label": {"en": "Volunteer"}}]},
      {"code": "q_staff", "type": "calculate", "calculation": "q_role == \"1\""}
    ]},
    {"code": "q_count", "type": "calculate", "calculation": "len(q_members ?? [])"}
  ]}]
}`

// TestSubmitStoresEntries submits a response with two entries of a repeat:
// each entry's answers carry their entry, the repeat has a row per entry,
// computed values are stored, and the published questions know their
// repeat.
func TestSubmitStoresEntries(t *testing.T) {
	var def forms.Definition
	if err := json.Unmarshal([]byte(repeatDefinition), &def); err != nil {
		t.Fatal(err)
	}
	fx := newFixtureFor(t, forms.AnonymityConfidential, &def)
	ctx := context.Background()
	sess, err := fx.store.ResolveLink(ctx, fx.token)
	if err != nil {
		t.Fatal(err)
	}
	a := forms.Answers{"q_org": "Haki", "q_count": 9.0, "q_members": []any{
		map[string]any{"q_name": "Ana", "q_role": "1"},
		map[string]any{"q_name": "Ben", "q_role": "2", "q_staff": true},
	}}
	if _, err := fx.store.Submit(ctx, sess, "s1", a); err != nil {
		t.Fatal(err)
	}
	var rows []forms.Answer
	if err := fx.db.Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Entry+" "+r.QuestionCode+" "+r.OptionCode+" "+r.Text)
	}
	want := []string{
		" q_org  Haki",
		"1 q_members  ", "1 q_name  Ana", "1 q_role 1 ", "1 q_staff  true",
		"2 q_members  ", "2 q_name  Ben", "2 q_role 2 ", "2 q_staff  false",
		" q_count  2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("answer rows:\n got %q\nwant %q", got, want)
	}
	for _, r := range rows {
		if r.QuestionCode == "q_name" && r.RowsGiven != 2 {
			t.Errorf("q_name rows given = %d, want 2 (the response's rows of the question)", r.RowsGiven)
		}
	}
	var qs []forms.QuestionRow
	if err := fx.db.Order("position").Find(&qs).Error; err != nil {
		t.Fatal(err)
	}
	var repeats []string
	for _, q := range qs {
		repeats = append(repeats, q.Code+":"+q.RepeatCode)
	}
	if want := []string{"q_org:", "q_members:", "q_name:q_members", "q_role:q_members", "q_staff:q_members", "q_count:"}; !slices.Equal(repeats, want) {
		t.Errorf("questions = %q, want %q", repeats, want)
	}
}
