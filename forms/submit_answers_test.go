package forms_test

import (
	"context"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// TestSubmitStoresAnswerScope checks what the analysis counts by: a draft
// writes no answer rows (the analysis counts the rows of a consultation
// without looking at its responses' status); every answer row and hidden
// question carries the response's consultation, and every answer row its
// response's stakeholder type and its question's number of rows, before
// and after an edit that changes them.
func TestSubmitStoresAnswerScope(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()
	sess, err := f.store.ResolveLink(ctx, f.token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SaveDraft(ctx, sess, completeAnswers(), 0); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "answers", "consultation_id = ?", f.c.ID) + f.count(t, "hidden_questions", "consultation_id = ?", f.c.ID); n != 0 {
		t.Fatalf("a draft wrote %d answer rows and hidden questions", n)
	}
	edit := completeAnswers()
	edit["q_areas"] = []any{"tip", "som", "fa"}
	edit["q_coop"] = 4.0 // hides the obstacles question
	for _, tc := range []struct {
		name    string
		answers forms.Answers
		given   map[string]int
		hidden  int64
	}{
		{"first submission", completeAnswers(), map[string]int{"q_areas": 2, "q_priorities": 3, "q_channels": 1, "q_years": 1}, 0},
		{"edit", edit, map[string]int{"q_areas": 3, "q_priorities": 3, "q_channels": 1, "q_years": 1}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := f.store.Submit(ctx, sess, "", tc.answers)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.count(t, "answers", "response_id = ? AND consultation_id <> ?", r.ResponseID, f.c.ID); n != 0 {
				t.Errorf("%d answer rows without the consultation", n)
			}
			typed := f.count(t, "answers", "response_id = ? AND stakeholder_type = (SELECT stakeholder_type FROM responses WHERE id = ?)", r.ResponseID, r.ResponseID)
			if all := f.count(t, "answers", "response_id = ?", r.ResponseID); typed != all || all == 0 {
				t.Errorf("%d of %d answer rows carry the response's stakeholder type", typed, all)
			}
			for code, want := range tc.given {
				if n := f.count(t, "answers", "response_id = ? AND question_code = ? AND rows_given = ?", r.ResponseID, code, want); n != int64(want) {
					t.Errorf("%s: %d rows with rows_given = %d, want %d", code, n, want, want)
				}
			}
			if n := f.count(t, "hidden_questions", "response_id = ? AND consultation_id = ? AND stakeholder_type = (SELECT stakeholder_type FROM responses WHERE id = ?)",
				r.ResponseID, f.c.ID, r.ResponseID); n != tc.hidden {
				t.Errorf("%d hidden questions with the consultation and the stakeholder type, want %d", n, tc.hidden)
			}
		})
	}
}
