package forms

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecode60 decodes the same 60-question response from JSON: the
// work every request does anyway before checking, and so the baseline that
// BenchmarkCheck60 is read beside.
func BenchmarkDecode60(b *testing.B) {
	body, err := json.Marshal(benchAnswers(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var a Answers
		if err := json.Unmarshal(body, &a); err != nil {
			b.Fatal(err)
		}
	}
}
