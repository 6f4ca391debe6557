package forms_test

import (
	"context"
	"database/sql/driver"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// TestSubmitRetriesABrokenConnection breaks the connection once, as a
// driver reports it before the database did anything (driver.ErrBadConn),
// while the answers are being written: the submission is run again and
// stored once, whole.
func TestSubmitRetriesABrokenConnection(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()
	broken := 0
	err := f.db.Callback().Create().Before("gorm:create").Register("test:bad_connection", func(db *gorm.DB) {
		if db.Statement.Table == "answers" && broken == 0 {
			broken++
			_ = db.AddError(driver.ErrBadConn)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.store.ResolveLink(ctx, f.token)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.store.Submit(ctx, sess, "sub-bad-conn", completeAnswers())
	if err != nil || r == nil || r.Replayed {
		t.Fatalf("submit: %+v %v", r, err)
	}
	if broken != 1 {
		t.Fatalf("the connection was broken %d times, want 1", broken)
	}
	if n := f.count(t, "responses", "submission_id = ?", "sub-bad-conn"); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	if n := f.count(t, "answers", "response_id = ?", r.ResponseID); n == 0 {
		t.Error("no answers stored")
	}
	var perQuestion []int64
	f.db.Table("answers").Where("response_id = ?", r.ResponseID).Group("question_code, row_code, option_code").
		Select("COUNT(*)").Pluck("COUNT(*)", &perQuestion)
	for _, n := range perQuestion {
		if n != 1 {
			t.Fatalf("an answer row is stored %d times", n)
		}
	}
}
