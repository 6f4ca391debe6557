package exports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

func TestJobLifecycle(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	ctx := context.Background()
	jobs := NewJobs(fx.db)
	focal := Requester{UserID: 7, Scope: forms.Scope{Countries: []string{"KEN"}}, Role: forms.RoleFocalPoint}
	req := Request{Kind: KindConsultation, ConsultationID: id, Language: "fr"}

	job, reused, err := jobs.Submit(ctx, focal, req)
	if err != nil || reused || job.Status != StatusQueued {
		t.Fatalf("submit = %+v, %v, %v", job, reused, err)
	}
	if again, reused, _ := jobs.Submit(ctx, focal, req); !reused || again.ID != job.ID {
		t.Errorf("a queued identical export is not reused: %+v %v", again, reused)
	}
	colleague := Requester{UserID: 8, Scope: forms.Scope{Countries: []string{"KEN"}}, Role: forms.RoleFocalPoint}
	if other, reused, _ := jobs.Submit(ctx, colleague, req); reused || other.ID == job.ID {
		t.Errorf("another user is given a job they cannot read: %+v", other)
	}
	if _, _, err := jobs.Submit(ctx, Requester{UserID: 8, Scope: forms.Scope{Countries: []string{"MEX"}}}, req); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("another country's consultation: %v, want not found", err)
	}
	r := NewRunner(fx.db, fx.an)
	if ran, err := r.RunOnce(ctx); !ran || err != nil {
		t.Fatalf("run = %v, %v", ran, err)
	}
	done, err := jobs.Job(ctx, focal, job.ID)
	if err != nil || done.Status != StatusDone || done.Progress != 100 || done.FileSize == 0 {
		t.Fatalf("after run: %+v, %v", done, err)
	}
	if _, err := jobs.Job(ctx, Requester{UserID: 9}, job.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("another user reads the job: %v", err)
	}
	_, file, err := jobs.File(ctx, focal, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A focal point's workbook of a confidential consultation holds
	// aggregates only.
	if sheets := f.GetSheetList(); slices.Contains(sheets, "Responses") || !slices.Contains(sheets, "Summary by theme") {
		t.Errorf("the focal point's stored workbook has the sheets %v", sheets)
	}
	// no new response: the finished file is reused
	if again, reused, _ := jobs.Submit(ctx, focal, req); !reused || again.ID != job.ID {
		t.Errorf("a finished identical export is not reused: %+v %v", again, reused)
	}
	// a new response: a new job
	fx.submitOne(id, "ngo")
	if again, reused, _ := jobs.Submit(ctx, focal, req); reused || again.ID == job.ID {
		t.Errorf("an export after a new response reuses the old file: %+v", again)
	}
}

// submitOne adds one more submitted response to a consultation.
func (fx *fixture) submitOne(consultationID uint, typ string) {
	fx.t.Helper()
	ctx := context.Background()
	st, err := fx.store.CreateStakeholder(ctx, forms.AllCountries, forms.StakeholderInput{Organization: "Late " + typ, Type: typ, Country: "KEN", ECOSOCStatus: "none"}, nil)
	if err != nil {
		fx.t.Fatal(err)
	}
	links, _, err := fx.store.CreateInvitations(ctx, forms.AllCountries, consultationID, []uint{st.ID}, nil, nil)
	if err != nil {
		fx.t.Fatal(err)
	}
	sess, err := fx.store.ResolveLink(ctx, links[0].Token)
	if err != nil {
		fx.t.Fatal(err)
	}
	if _, err := fx.store.Submit(ctx, sess, "", answersFor(typ, 99)); err != nil {
		fx.t.Fatal(err)
	}
}

func TestJobRestartMarksFailedAndRetry(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 3, 0)
	ctx := context.Background()
	jobs := NewJobs(fx.db)
	admin := Requester{UserID: 1, Scope: forms.AllCountries, Role: forms.RoleAdmin}
	job, _, err := jobs.Submit(ctx, admin, Request{Kind: KindConsultation, ConsultationID: id})
	if err != nil {
		t.Fatal(err)
	}
	dead := NewRunner(fx.db, fx.an)
	if c, err := dead.Claim(ctx); err != nil || c == nil || c.ID != job.ID {
		t.Fatalf("claim = %+v, %v", c, err)
	}
	// the instance dies: its heartbeat ages
	old := time.Now().UTC().Add(-time.Hour)
	fx.db.Model(&Job{}).Where("id = ?", job.ID).Update("heartbeat_at", old)
	if _, err := jobs.Retry(ctx, admin, job.ID); err == nil {
		t.Error("a running job was retried")
	}
	restarted := NewRunner(fx.db, fx.an)
	if n, err := restarted.Recover(ctx); n != 1 || err != nil {
		t.Fatalf("recover = %d, %v", n, err)
	}
	failed, _ := jobs.Job(ctx, admin, job.ID)
	if failed.Status != StatusFailed || failed.Error == "" {
		t.Fatalf("after restart: %+v", failed)
	}
	if again, reused, _ := jobs.Submit(ctx, admin, Request{Kind: KindConsultation, ConsultationID: id}); reused {
		t.Errorf("a failed job is reused: %+v", again)
	}
	if _, err := jobs.Retry(ctx, admin, job.ID); err != nil {
		t.Fatal(err)
	}
	for {
		ran, err := restarted.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	if done, _ := jobs.Job(ctx, admin, job.ID); done.Status != StatusDone {
		t.Errorf("after retry: %+v", done)
	}
}

// TestClaimExactlyOnce races runners for queued jobs: each job is claimed
// once (on PostgreSQL with TEST_DATABASE_URL, FOR UPDATE SKIP LOCKED).
func TestClaimExactlyOnce(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	const n = 40
	for i := range n {
		job := &Job{Kind: KindComparison, QuestionnaireCode: "x", Status: StatusQueued, Scope: "*", Fingerprint: fmt.Sprint("f", i)}
		if err := fx.db.Create(job).Error; err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	claimed := map[uint]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := NewRunner(fx.db, fx.an)
			for {
				j, err := r.Claim(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if j == nil {
					return
				}
				mu.Lock()
				claimed[j.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimed) != n {
		t.Errorf("claimed %d jobs, want %d", len(claimed), n)
	}
	for id, c := range claimed {
		if c != 1 {
			t.Errorf("job %d claimed %d times", id, c)
		}
	}
}
