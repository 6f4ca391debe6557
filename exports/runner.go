package exports

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms/database"
)

// Runner claims queued export jobs and writes their workbooks. Every
// server instance may run one: a job is claimed by exactly one of them
// (FOR UPDATE SKIP LOCKED on PostgreSQL, an atomic conditional UPDATE on
// SQLite), the workbook is stored in the job's row so that any instance
// serves it, and a running job whose instance stopped beating is marked
// failed, to be retried.
type Runner struct {
	db *gorm.DB
	an *analysis.Analyzer
	// ID names this instance in claimed_by.
	ID string
	// Poll is how often the queue is looked at.
	Poll time.Duration
	// Stale is how long a running job may go without a heartbeat before
	// it is taken for lost.
	Stale time.Duration
	// RowLimit is the most rows per sheet (MaxRows when zero).
	RowLimit int
	wake     chan struct{}
}

// NewRunner returns a runner over db with an identity of its own.
func NewRunner(db *gorm.DB, an *analysis.Analyzer) *Runner {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Runner{db: db, an: an, ID: fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b)),
		Poll: 2 * time.Second, Stale: 2 * time.Minute, wake: make(chan struct{}, 1)}
}

// Start runs the runner in the background until ctx ends.
func (r *Runner) Start(ctx context.Context) {
	go r.loop(ctx)
}

func (r *Runner) loop(ctx context.Context) {
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	for {
		if n, err := r.Recover(ctx); err != nil {
			slog.Warn("exports: recover lost jobs", "err", err)
		} else if n > 0 {
			slog.Info("exports: lost jobs marked failed", "jobs", n)
		}
		for ctx.Err() == nil {
			ran, err := r.RunOnce(ctx)
			if err != nil {
				slog.Warn("exports: job", "err", err)
			}
			if !ran {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.wake:
		}
	}
}

// Wake makes the runner look at the queue now rather than at the next tick.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Recover marks failed the running jobs whose instance stopped beating:
// after a restart an unfinished job is reported, never silently lost.
func (r *Runner) Recover(ctx context.Context) (int64, error) {
	cutoff := time.Now().UTC().Add(-r.Stale)
	res := r.db.WithContext(ctx).Model(&Job{}).
		Where("status = ? AND (heartbeat_at IS NULL OR heartbeat_at < ?)", StatusRunning, cutoff).
		Updates(map[string]any{"status": StatusFailed, "finished_at": time.Now().UTC(),
			"error": "interrupted: the server running it stopped; retry the export"})
	return res.RowsAffected, res.Error
}

// claimSQL takes the oldest queued job. On PostgreSQL the inner SELECT
// locks the row and skips rows other instances hold, so two instances never
// take the same job; SQLite has one writer at a time and the status test
// makes the UPDATE a no-op for a job already taken.
const claimSQL = `UPDATE export_jobs SET status = ?, claimed_by = ?, started_at = ?, heartbeat_at = ?, progress = 0
WHERE status = ? AND id = (SELECT id FROM export_jobs WHERE status = ? ORDER BY id LIMIT 1%s)
RETURNING id`

// Claim takes one queued job for this runner; nil when none is queued.
func (r *Runner) Claim(ctx context.Context) (*Job, error) {
	lock := ""
	if database.Dialect(r.db) == database.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	now := time.Now().UTC()
	var ids []uint
	err := r.db.WithContext(ctx).Raw(fmt.Sprintf(claimSQL, lock),
		StatusRunning, r.ID, now, now, StatusQueued, StatusQueued).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var job Job
	return &job, r.db.WithContext(ctx).Omit("file").Take(&job, ids[0]).Error
}

// RunOnce claims and runs one job; false when the queue was empty.
func (r *Runner) RunOnce(ctx context.Context) (bool, error) {
	job, err := r.Claim(ctx)
	if err != nil || job == nil {
		return false, err
	}
	r.run(ctx, job)
	return true, nil
}

// run writes the job's workbook and records the outcome.
func (r *Runner) run(ctx context.Context, job *Job) {
	stop := r.heartbeat(ctx, job.ID)
	var buf bytes.Buffer
	err := r.write(ctx, job, &buf)
	stop()
	now := time.Now().UTC()
	upd := map[string]any{"finished_at": now}
	if err != nil {
		slog.Warn("exports: job failed", "job", job.ID, "err", err)
		upd["status"], upd["error"] = StatusFailed, err.Error()
	} else {
		upd["status"], upd["progress"], upd["file"], upd["file_size"], upd["file_name"] =
			StatusDone, 100, buf.Bytes(), int64(buf.Len()), fileName(job, now)
	}
	if err := r.db.WithContext(context.WithoutCancel(ctx)).Model(&Job{}).
		Where("id = ? AND claimed_by = ?", job.ID, r.ID).Updates(upd).Error; err != nil {
		slog.Warn("exports: record job", "job", job.ID, "err", err)
	}
}

func (r *Runner) write(ctx context.Context, job *Job, buf *bytes.Buffer) error {
	progress := r.progress(ctx, job.ID)
	scope := parseScope(job.Scope)
	switch job.Kind {
	case KindConsultation:
		return BuildConsultation(ctx, r.db, r.an, ConsultationRequest{
			ConsultationID: *job.ConsultationID, Scope: scope, Role: job.Role, Language: job.Language,
			Codes: job.CodesInsteadOfLabels, RowLimit: r.RowLimit, Progress: progress}, buf)
	case KindComparison:
		var countries []string
		if job.Countries != "" {
			countries = strings.Split(job.Countries, ",")
		}
		return BuildComparison(ctx, r.an, ComparisonRequest{Questionnaire: job.QuestionnaireCode,
			Countries: countries, Scope: scope, Role: job.Role, Language: job.Language, Codes: job.CodesInsteadOfLabels}, buf)
	}
	return fmt.Errorf("unknown export kind %q", job.Kind)
}

// progress records the percentage written, at most once a second.
func (r *Runner) progress(ctx context.Context, id uint) func(int) {
	var last time.Time
	return func(p int) {
		if time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		r.db.WithContext(ctx).Model(&Job{}).Where("id = ?", id).Update("progress", p)
	}
}

// heartbeat shows the job is alive until the returned function is called.
func (r *Runner) heartbeat(ctx context.Context, id uint) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(max(r.Stale/4, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				r.db.WithContext(ctx).Model(&Job{}).Where("id = ?", id).Update("heartbeat_at", time.Now().UTC())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func fileName(job *Job, t time.Time) string {
	if job.Kind == KindComparison {
		return fmt.Sprintf("agora-comparison-%s-%s.xlsx", safeFileName(job.QuestionnaireCode), t.Format("20060102-1504"))
	}
	return fmt.Sprintf("agora-consultation-%d-%s.xlsx", *job.ConsultationID, t.Format("20060102-1504"))
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}
