package forms

import (
	"testing"
	"time"
)

// calcValue computes one calculation over the probe's answers (or none).
func calcValue(t *testing.T, calculation string, a Answers) any {
	t.Helper()
	d := probeDefinition("", "")
	qs := &d.Sections[0].Questions
	*qs = append(*qs, Question{Code: "q_calc", Type: TypeCalculate, Calculation: calculation})
	f := mustCompile(t, d)
	clean, verr := f.Check(a, false)
	if verr != nil {
		t.Fatalf("Check: %v", verr)
	}
	return clean["q_calc"]
}

func TestXLSFormFunctions(t *testing.T) {
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Date(2026, 3, 9, 23, 30, 0, 0, time.FixedZone("X", -3600)) }
	tests := []struct {
		name, calc string
		answered   any // over probeAnswers
		unanswered any // over no answers
	}{
		{"today, in UTC", `today()`, "2026-03-10", "2026-03-10"},
		{"regex", `regex(q_text, "^h.llo$")`, true, false},
		{"regex on a multiple choice", `regex(q_multi, "^a c$")`, true, false},
		{"regex with a bad pattern", `regex(q_text, "(")`, nil, false},
		{"sum of numbers", `sum([q_num, q_int, 1])`, 43.5, 1.0},
		{"sum of a list", `sum([1, 2, "3"])`, 6.0, 6.0},
		{"sum of text", `sum(q_text)`, nil, 0.0},
		{"min", `min(q_num, q_int)`, 2.5, nil},
		{"max", `max(q_num, q_int, 7)`, 40.0, 7.0},
		{"max of a list", `max([3, 9, 4])`, 9.0, 9.0},
		{"string length", `string_length(q_text)`, 5.0, 0.0},
		{"concat", `concat(q_single, "-", q_int, "-", q_multi)`, "b-40-a c", "--"},
		{"if as the ternary", `q_int > 18 ? "adult" : "minor"`, "adult", "minor"},
		{"coalesce", `coalesce(q_text, q_single, "none")`, "héllo", "none"},
		{"coalesce skips the unanswered", `coalesce(q_date, q_num)`, "2024-03-01", nil},
		{"int truncates", `int(q_num)`, 2.0, nil},
		{"int of negative text", `int("-2.7")`, -2.0, -2.0},
		{"round", `round(q_num)`, 3.0, nil},
		{"round to decimals", `round(2.345, 2)`, 2.35, 2.35},
		{"round with bad decimals", `round(2.345, 0.5)`, nil, nil},
		{"date of a date answer", `date(q_date)`, "2024-03-01", nil},
		{"date of a date and time", `date("2024-03-01T10:00:00Z")`, "2024-03-01", "2024-03-01"},
		{"date of days since 1970", `date(19783)`, "2024-03-01", "2024-03-01"},
		{"date of nonsense", `date("soon")`, nil, nil},
		{"mod of decimals", `q_num % 2`, 0.5, nil},
		{"mod of whole numbers", `7 % 2`, 1.0, 1.0},
		{"arithmetic", `(q_int + q_num) * 2 / 5`, 17.0, nil},
		{"boolean", `q_int >= 18`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := calcValue(t, tt.calc, probeAnswers); got != tt.answered {
				t.Errorf("answered: %s = %#v, want %#v", tt.calc, got, tt.answered)
			}
			if got := calcValue(t, tt.calc, Answers{}); got != tt.unanswered {
				t.Errorf("unanswered: %s = %#v, want %#v", tt.calc, got, tt.unanswered)
			}
		})
	}
}
