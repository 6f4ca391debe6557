package exports

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// Job kinds.
const (
	KindConsultation = "consultation"
	KindComparison   = "comparison"
)

// Job statuses: queued → running → done or failed; a failed job may be
// queued again.
const (
	StatusQueued  = "queued"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Job is an export in the export_jobs table. Who asked for it, with which
// parameters and scope, when it ran, on which instance and how it ended are
// all kept, so the table is also the record of what was exported.
type Job struct {
	ID                   uint   `gorm:"primaryKey" json:"id"`
	Kind                 string `json:"kind"`
	ConsultationID       *uint  `json:"consultation_id,omitempty"`
	QuestionnaireCode    string `json:"questionnaire,omitempty"`
	Countries            string `json:"countries,omitempty"`
	Language             string `json:"lang,omitempty"`
	CodesInsteadOfLabels bool   `json:"codes"`
	// Role is the requester's: a workbook holds what that role may see.
	// Admin is kept beside it for earlier versions of the schema.
	Role        string     `json:"-"`
	Admin       bool       `json:"-"`
	Scope       string     `json:"-"`
	RequestedBy *uint      `json:"requested_by,omitempty"`
	Status      string     `json:"status"`
	Progress    int        `json:"progress"`
	Error       string     `json:"error,omitempty"`
	Fingerprint string     `json:"-"`
	FileName    string     `json:"file_name,omitempty"`
	FileSize    int64      `json:"file_size,omitempty"`
	File        []byte     `json:"-"`
	ClaimedBy   string     `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	HeartbeatAt *time.Time `json:"-"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

// TableName is the table of export jobs.
func (Job) TableName() string { return "export_jobs" }

// Request is what a caller asks to export.
type Request struct {
	Kind           string   `json:"kind"`
	ConsultationID uint     `json:"consultation_id"`
	Questionnaire  string   `json:"questionnaire"`
	Countries      []string `json:"countries"`
	Language       string   `json:"lang"`
	Codes          bool     `json:"codes"`
}

// Requester is who asks: their account, scope and role.
type Requester struct {
	UserID uint
	Scope  forms.Scope
	Role   string
}

// admin tells whether the requester is one of the CSU's admins, who see
// every job.
func (r Requester) admin() bool { return r.Role == forms.RoleAdmin }

// Jobs creates and reads export jobs.
type Jobs struct{ db *gorm.DB }

// NewJobs returns the job store of db.
func NewJobs(db *gorm.DB) *Jobs { return &Jobs{db: db} }

// Submit queues an export, or returns the caller's job that already made
// (or is making) the same export with no new response since: reused is
// then true. A consultation outside scope is forms.ErrNotFound; a
// comparison naming a country outside scope is an *analysis.ScopeError.
func (j *Jobs) Submit(ctx context.Context, who Requester, req Request) (job *Job, reused bool, err error) {
	job, err = j.check(ctx, who, req)
	if err != nil {
		return nil, false, err
	}
	if job.Fingerprint, err = j.fingerprint(ctx, job); err != nil {
		return nil, false, err
	}
	// Reuse only the caller's own jobs: a job is shown to its requester.
	var prev Job
	err = j.db.WithContext(ctx).Omit("file").
		Where("fingerprint = ? AND status IN ? AND requested_by = ?", job.Fingerprint,
			[]string{StatusQueued, StatusRunning, StatusDone}, who.UserID).
		Order("id DESC").Take(&prev).Error
	if err == nil {
		return &prev, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	return job, false, j.db.WithContext(ctx).Create(job).Error
}

// check validates a request within the requester's scope and returns the
// job it describes.
func (j *Jobs) check(ctx context.Context, who Requester, req Request) (*Job, error) {
	ve := &forms.ValidationError{}
	if req.Language != "" && !slices.Contains(forms.Languages, req.Language) {
		ve.Add("/lang", "unknown language %q: one of ar, zh, en, fr, ru, es", req.Language)
	}
	job := &Job{Kind: req.Kind, Language: req.Language, CodesInsteadOfLabels: req.Codes, Role: who.Role, Admin: who.admin(),
		Scope: scopeString(who.Scope), Status: StatusQueued}
	if who.UserID != 0 {
		job.RequestedBy = &who.UserID
	}
	switch req.Kind {
	case KindConsultation:
		if req.ConsultationID == 0 {
			ve.Add("/consultation_id", "give the consultation to export")
			return nil, ve
		}
		if err := ve.OrNil(); err != nil {
			return nil, err
		}
		if _, err := forms.NewStore(j.db).Consultation(ctx, who.Scope, req.ConsultationID); err != nil {
			return nil, err
		}
		job.ConsultationID = &req.ConsultationID
	case KindComparison:
		if strings.TrimSpace(req.Questionnaire) == "" {
			ve.Add("/questionnaire", "give the code of a questionnaire, e.g. pilot-issues")
		}
		countries, err := checkCountries(ve, who.Scope, req.Countries)
		if err != nil {
			return nil, err
		}
		job.QuestionnaireCode, job.Countries = strings.TrimSpace(req.Questionnaire), strings.Join(countries, ",")
	default:
		ve.Add("/kind", "kind is consultation or comparison")
	}
	return job, ve.OrNil()
}

func checkCountries(ve *forms.ValidationError, scope forms.Scope, in []string) ([]string, error) {
	var out []string
	for _, c := range in {
		c = strings.ToUpper(strings.TrimSpace(c))
		switch {
		case !forms.ValidCountryCode(c):
			ve.Add("/countries", "%q is not an ISO 3166-1 alpha-3 code such as KEN", c)
		case !scope.Allows(c):
			return nil, &analysis.ScopeError{Country: c}
		case !slices.Contains(out, c):
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, nil
}

func scopeString(s forms.Scope) string {
	if s.All {
		return "*"
	}
	c := slices.Clone(s.Countries)
	slices.Sort(c)
	return strings.Join(c, ",")
}

func parseScope(s string) forms.Scope {
	if s == "*" {
		return forms.AllCountries
	}
	return forms.Scope{Countries: strings.FieldsFunc(s, func(r rune) bool { return r == ',' })}
}

// fingerprint identifies an export's content: its parameters, its audience
// and the state of the responses it reads (their number and latest change).
func (j *Jobs) fingerprint(ctx context.Context, job *Job) (string, error) {
	var st struct {
		N    int64
		Last string
	}
	tx := j.db.WithContext(ctx).Table("responses r").Select("COUNT(*) AS n, "+maxUpdated).
		Where("r.status = ?", forms.ResponseSubmitted)
	if job.ConsultationID != nil {
		tx = tx.Where("r.consultation_id = ?", *job.ConsultationID)
	} else {
		tx = tx.Joins("JOIN questionnaires q ON q.id = r.questionnaire_id").Where("q.code = ?", job.QuestionnaireCode)
	}
	if err := tx.Scan(&st).Error; err != nil {
		return "", err
	}
	id, lastAnswer := uint(0), uint(0)
	if job.ConsultationID != nil {
		// An anonymous consultation keeps only the day of a change: a
		// response changed again the same day shows in its new answers.
		id = *job.ConsultationID
		if err := j.db.WithContext(ctx).Table("answers").Where("consultation_id = ?", id).
			Select("COALESCE(MAX(id), 0)").Scan(&lastAnswer).Error; err != nil {
			return "", err
		}
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%s|%s|%s|%t|%s|%s|%d|%s|%d",
		job.Kind, id, job.QuestionnaireCode, job.Countries, job.Language, job.CodesInsteadOfLabels,
		job.Role, job.Scope, st.N, cmp.Or(st.Last, "-"), lastAnswer))
	return hex.EncodeToString(h[:]), nil
}

// maxUpdated renders the latest change as text on both databases.
const maxUpdated = "CAST(MAX(r.updated_at) AS VARCHAR(64)) AS last"

// Job returns a job without its file. Only its requester and admins see
// it; anyone else gets forms.ErrNotFound.
func (j *Jobs) Job(ctx context.Context, who Requester, id uint) (*Job, error) {
	var job Job
	tx := j.db.WithContext(ctx).Omit("file").Where("id = ?", id)
	if !who.admin() {
		tx = tx.Where("requested_by = ?", who.UserID)
	}
	if err := tx.Take(&job).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, forms.ErrNotFound
		}
		return nil, err
	}
	return &job, nil
}

// File returns a finished job's workbook.
func (j *Jobs) File(ctx context.Context, who Requester, id uint) (*Job, []byte, error) {
	job, err := j.Job(ctx, who, id)
	if err != nil {
		return nil, nil, err
	}
	if job.Status != StatusDone {
		return nil, nil, &forms.ConflictError{Reason: "the export is " + job.Status + ", not done"}
	}
	var file []byte
	if err := j.db.WithContext(ctx).Model(&Job{}).Select("file").Where("id = ?", id).Row().Scan(&file); err != nil {
		return nil, nil, err
	}
	return job, file, nil
}

// Retry queues a failed job again.
func (j *Jobs) Retry(ctx context.Context, who Requester, id uint) (*Job, error) {
	if _, err := j.Job(ctx, who, id); err != nil {
		return nil, err
	}
	res := j.db.WithContext(ctx).Model(&Job{}).Where("id = ? AND status = ?", id, StatusFailed).
		Updates(map[string]any{"status": StatusQueued, "progress": 0, "error": "", "claimed_by": "",
			"started_at": nil, "heartbeat_at": nil, "finished_at": nil})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, &forms.ConflictError{Reason: "only a failed export can be retried"}
	}
	return j.Job(ctx, who, id)
}
