package forms

import (
	"encoding/json"
	"fmt"
	"testing"
)

// benchDefinition has six sections of ten questions, every answerable type
// in each, with relevance on sections and questions and constraints.
func benchDefinition() *Definition {
	opts := func(n int, other bool) []Option {
		out := make([]Option, n)
		for i := range out {
			out[i] = Option{Code: fmt.Sprintf("o%d", i+1), Label: en(fmt.Sprintf("Option %d", i+1))}
		}
		out[n-1].Other = other
		return out
	}
	scale := []ScalePoint{{Value: 1, Label: en("1")}, {Value: 2, Label: en("2")}, {Value: 3, Label: en("3")},
		{Value: 4, Label: en("4")}, {Value: 5, Label: en("5")}, {Value: 9, Label: en("?"), Missing: true}}
	rows := []Row{{Code: "r1", Label: en("R1")}, {Code: "r2", Label: en("R2")},
		{Code: "r3", Label: en("R3")}, {Code: "r4", Label: en("R4")}}
	d := &Definition{Code: "bench", Kind: KindOther, DefaultLanguage: "en", Languages: []string{"en"}, Title: en("Bench")}
	for s := 1; s <= 6; s++ {
		c := func(name string) string { return fmt.Sprintf("q%d_%s", s, name) }
		sec := Section{Code: fmt.Sprintf("s%d", s), Title: en("Section")}
		if s > 1 {
			sec.Relevant = `answered(q1_single)`
		}
		sec.Questions = []Question{
			{Code: c("single"), Type: TypeSingleChoice, Label: en("Single"), Required: true, Options: opts(5, true)},
			{Code: c("multi"), Type: TypeMultipleChoice, Label: en("Multi"), Options: opts(6, true), Max: ptr(3),
				Relevant: fmt.Sprintf(`!selected(%s, "o2")`, c("single"))},
			{Code: c("rank"), Type: TypeRanking, Label: en("Rank"), Options: opts(5, false), Max: ptr(3)},
			{Code: c("num"), Type: TypeNumber, Label: en("Number"), Constraint: "value >= 0 and value <= 1000"},
			{Code: c("int"), Type: TypeInteger, Label: en("Integer"), Min: ptr(0), Max: ptr(120)},
			{Code: c("scale"), Type: TypeScale, Label: en("Scale"), Required: true, Scale: scale},
			{Code: c("matrix"), Type: TypeMatrix, Label: en("Matrix"), Scale: scale, Rows: rows},
			{Code: c("text"), Type: TypeText, Label: en("Text"), Relevant: fmt.Sprintf(`%s <= 2`, c("scale"))},
			{Code: c("long"), Type: TypeLongText, Label: en("Long"), Constraint: "string_length(value) >= 5",
				Relevant: fmt.Sprintf(`count_selected(%s) >= 1 or rank_of(%s, "o1") == 1`, c("multi"), c("rank"))},
			{Code: c("date"), Type: TypeDate, Label: en("Date"), Constraint: `value >= "2000-01-01"`},
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}

// benchAnswers is a complete response, decoded from JSON as the API would.
func benchAnswers(tb testing.TB) Answers {
	a := map[string]any{}
	for s := 1; s <= 6; s++ {
		c := func(name string) string { return fmt.Sprintf("q%d_%s", s, name) }
		a[c("single")] = "o5"
		a[c("single")+OtherSuffix] = "Something else entirely"
		a[c("multi")] = []string{"o3", "o1", "o6"}
		a[c("multi")+OtherSuffix] = "Another thing"
		a[c("rank")] = []string{"o1", "o4", "o2"}
		a[c("num")] = 123.5
		a[c("int")] = 42
		a[c("scale")] = 2
		a[c("matrix")] = map[string]int{"r1": 1, "r2": 5, "r3": 9, "r4": 3}
		a[c("text")] = "A short answer"
		a[c("long")] = "A longer answer that goes on for a while, as long answers do."
		a[c("date")] = "2024-06-30"
	}
	data, err := json.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	var out Answers
	if err := json.Unmarshal(data, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestBenchFixtureIsValid(t *testing.T) {
	f := mustCompile(t, benchDefinition())
	if n := len(f.Definition().Questions()); n != 60 {
		t.Fatalf("%d questions, want 60", n)
	}
	clean, verr := f.Check(benchAnswers(t), true)
	if verr != nil {
		t.Fatalf("Check: %v", verr)
	}
	if len(clean) != 72 { // 60 answers and 12 "other" texts
		t.Errorf("%d clean answers, want 72", len(clean))
	}
}

// BenchmarkCheck60 checks a complete 60-question response: the work of
// every draft save and submission.
func BenchmarkCheck60(b *testing.B) {
	f := mustCompile(b, benchDefinition())
	a := benchAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, verr := f.Check(a, true); verr != nil {
			b.Fatal(verr)
		}
	}
}

// BenchmarkCompile60 compiles the 60-question definition: the work of
// loading a questionnaire version that is not cached.
func BenchmarkCompile60(b *testing.B) {
	d := benchDefinition()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(d, nil); err != nil {
			b.Fatal(err)
		}
	}
}
