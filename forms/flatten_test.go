package forms

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// rowString shows a row compactly for comparisons.
func rowString(r AnswerRow) string {
	n := "-"
	if r.Number != nil {
		n = formatNumber(*r.Number)
	}
	s := fmt.Sprintf("%s|%s|%s|%s|%q|%d", r.QuestionCode, r.RowCode, r.OptionCode, n, r.Text, r.Rank)
	if r.Entry != "" {
		s += "@" + r.Entry
	}
	return s
}

func TestFlatten(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	var got []string
	for _, r := range f.Flatten(fullClean()) {
		got = append(got, rowString(r))
	}
	// QuestionCode|RowCode|OptionCode|Number|Text|Rank
	want := []string{
		`q_sector||other|-|"A foundation"|0`,
		`q_founded|||1999|""|0`,
		`q_staff|||12.5|""|0`,
		`q_staff_band|||-|"10 or more"|0`,
		`q_since|||-|"2001-05-02"|0`,
		`q_areas||untoc|-|""|0`,
		`q_areas||tip|-|""|0`,
		`q_priorities||tip|-|""|1`,
		`q_priorities||fa|-|""|2`,
		`q_implementation|||2|""|0`,
		`q_articles|art5||3|""|0`,
		`q_articles|tip_art3||0|""|0`,
		`q_gaps|||-|"Training"|0`,
		`q_tip_details|||-|"Victims are not identified early enough."|0`,
		`q_budget_share|||40|""|0`,
		`q_projects|||-|""|0@1`,
		`q_project_name|||-|"Shelter network"|0@1`,
		`q_project_year|||2015|""|0@1`,
		`q_project_count|||1|"1"|0`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
}

func TestUnflattenInvertsFlatten(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	clean := fullClean()
	rows := f.Flatten(clean)
	// The database returns rows in no particular order.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	if got := f.Unflatten(rows); !reflect.DeepEqual(got, clean) {
		t.Errorf("Unflatten(Flatten(a)):\n got %#v\nwant %#v", got, clean)
	}
}

func TestUnflattenIgnoresStrangers(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	x := 3.0
	got := f.Unflatten([]AnswerRow{
		{QuestionCode: "q_gone", Text: "from an older version"},
		{QuestionCode: "q_staff"}, // a number row without a number
		{QuestionCode: "q_implementation", Number: &x},
	})
	if want := (Answers{"q_implementation": 3}); !reflect.DeepEqual(got, want) {
		t.Errorf("Unflatten = %v, want %v", got, want)
	}
}
