package forms

import (
	"slices"
	"testing"
)

// probeDefinition has one question of each answerable type and a last
// question, q_probe, whose relevance is the expression under test.
func probeDefinition(relevant, constraint string) *Definition {
	opts := []Option{{Code: "a", Label: en("A")}, {Code: "b", Label: en("B")}, {Code: "c", Label: en("C")}}
	scale := []ScalePoint{{Value: 1, Label: en("1")}, {Value: 2, Label: en("2")}, {Value: 3, Label: en("3")}}
	return &Definition{
		Code: "probe", Kind: KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: en("Probe"),
		Sections: []Section{{Code: "s", Questions: []Question{
			{Code: "q_single", Type: TypeSingleChoice, Label: en("Single"), Options: opts},
			{Code: "q_multi", Type: TypeMultipleChoice, Label: en("Multi"), Options: opts},
			{Code: "q_rank", Type: TypeRanking, Label: en("Rank"), Options: opts},
			{Code: "q_num", Type: TypeNumber, Label: en("Number")},
			{Code: "q_int", Type: TypeInteger, Label: en("Integer")},
			{Code: "q_date", Type: TypeDate, Label: en("Date")},
			{Code: "q_text", Type: TypeText, Label: en("Text")},
			{Code: "q_scale", Type: TypeScale, Label: en("Scale"), Scale: scale},
			{Code: "q_matrix", Type: TypeMatrix, Label: en("Matrix"), Scale: scale,
				Rows: []Row{{Code: "r1", Label: en("R1")}, {Code: "r2", Label: en("R2")}}},
			{Code: "q_probe", Type: TypeText, Label: en("Probe"), Relevant: relevant, Constraint: constraint},
		}}},
	}
}

var probeAnswers = Answers{
	"q_single": "b", "q_multi": []any{"c", "a"}, "q_rank": []any{"c", "a"},
	"q_num": 2.5, "q_int": 40.0, "q_date": "2024-03-01", "q_text": "héllo",
	"q_scale": 2.0, "q_matrix": map[string]any{"r1": 3.0},
}

func TestExpressions(t *testing.T) {
	tests := []struct {
		expr       string
		answered   bool // over probeAnswers
		unanswered bool // over no answers at all
	}{
		{`q_single == "b"`, true, false},
		{`q_single != "b"`, false, true},
		{`q_single in ["a", "b"]`, true, false},
		{`selected(q_single, "b")`, true, false},
		{`selected(q_multi, "a") and selected(q_multi, "c")`, true, false},
		{`selected(q_multi, "b")`, false, false},
		{`"a" in q_multi`, true, false},
		{`"b" not in q_multi`, true, true}, // nothing is in an unanswered question
		{`count_selected(q_multi) == 2`, true, false},
		{`count_selected(q_single) == 1`, true, false},
		{`count_selected(q_multi) == 0`, false, true},
		{`rank_of(q_rank, "c") == 1 and rank_of(q_rank, "a") == 2`, true, false},
		{`rank_of(q_rank, "b") == 0`, true, true},
		{`q_num > 2`, true, false},
		{`q_num <= 2`, false, false}, // unanswered compares false both ways
		{`not (q_num > 2)`, false, true},
		{`q_int == 40`, true, false},
		{`q_int >= 40 and q_int < 41`, true, false},
		{`q_int in 18..65`, true, false},
		{`q_int in 41..65`, false, false},
		{`q_scale == 2`, true, false},
		{`q_scale >= 2`, true, false},
		{`q_date >= "2024-01-01"`, true, false},
		{`q_date < "2024-01-01"`, false, false},
		{`q_text contains "ll"`, true, false},
		{`q_text startsWith "h"`, true, false},
		{`string_length(q_text) == 5`, true, false}, // runes, not bytes
		{`string_length(q_text) == 0`, false, true},
		{`answered(q_text)`, true, false},
		{`!answered(q_text)`, false, true},
		{`answered(q_matrix)`, true, false},
		{`q_matrix.r1 == 3`, true, false},
		{`"r1" in q_matrix and not ("r2" in q_matrix)`, true, false},
		{`q_matrix?.r1 == nil`, false, true},
		{`q_num + 1 > 3`, true, false}, // arithmetic on nil errs: false
		{`(q_num ?? 0) + 1 > 3`, true, false},
		{`q_num > "text"`, false, false}, // incomparable: false
		{`q_single == nil`, false, true},
		{`len(q_multi) == 2`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := Compile(probeDefinition(tt.expr, ""), nil)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := f.Visible(probeAnswers)["q_probe"]; got != tt.answered {
				t.Errorf("over answers = %v, want %v", got, tt.answered)
			}
			if got := f.Visible(Answers{})["q_probe"]; got != tt.unanswered {
				t.Errorf("over no answers = %v, want %v", got, tt.unanswered)
			}
		})
	}
}

func TestConstraintSeesValue(t *testing.T) {
	tests := []struct {
		constraint string
		answer     string
		want       []string
	}{
		{`string_length(value) <= 3`, "abc", nil},
		{`string_length(value) <= 3`, "abcd", []string{"/answers/q_probe: does not satisfy the constraint"}},
		{`value != q_text`, "héllo", []string{"/answers/q_probe: does not satisfy the constraint"}},
		{`value matches "^[a-z]+$"`, "abc", nil},
		{`value matches "^[a-z]+$"`, "ab1", []string{"/answers/q_probe: does not satisfy the constraint"}},
	}
	for _, tt := range tests {
		t.Run(tt.constraint+"/"+tt.answer, func(t *testing.T) {
			f, err := Compile(probeDefinition("", tt.constraint), nil)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			a := Answers{"q_text": "héllo", "q_probe": tt.answer}
			clean, verr := f.Check(a, false)
			var got []string
			if verr != nil {
				got = fields(verr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems = %q, want %q", got, tt.want)
			}
			if _, kept := clean["q_probe"]; kept != (tt.want == nil) {
				t.Errorf("answer kept = %v, want %v", kept, tt.want == nil)
			}
		})
	}
}

func TestReservedWords(t *testing.T) {
	for _, w := range []string{"value", "true", "nil", "and", "in", "not", "len", "all", "selected", "rank_of"} {
		if !reserved[w] {
			t.Errorf("%q is not reserved", w)
		}
	}
	if reserved["q_age"] {
		t.Error(`"q_age" is reserved`)
	}
}
